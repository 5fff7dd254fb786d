import Foundation
import Testing
@testable import Workbench

/// Sampler manifests (docs/EXTERNAL.md): what they declare becomes a plugin's members, their
/// mistakes are one-line errors naming the field, and their identity follows their files.
@Suite struct ExternalManifestTests {
    /// A folder with `body` as `name` and a script beside it; returns the manifest's path.
    func write(_ body: String, name: String = "x.sampler.json") throws -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-test-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "print('hello')\n".write(to: folder.appendingPathComponent("run.py"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent(name).path
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    static let full = """
        {"id": "ext-x", "summary": "a test sampler", "command": ["python3", "run.py", "--fast"],
         "hyperparameters": [{"name": "a", "default": 0.5, "range": [0, 1], "open": ["lower"], "summary": "rate"},
                             {"name": "k", "default": 3, "range": [1, 10], "integral": true},
                             {"name": "kind", "default": "p", "choices": ["p", "q"]}],
         "stepSize": {"policy": "adaptive", "default": 0.2, "scaling": "length"},
         "gradientCost": {"batchGradientsPerStep": 2, "setupFullGradients": 1}}
        """

    @Test func declarationsBecomeThePluginsMembers() throws {
        let (folder, path) = try write(Self.full)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = try SamplerPlugin.external(ExternalManifest.load(path))
        #expect(plugin.id == "ext-x" && plugin.summary == "a test sampler" && plugin.runsCellAsOneBatch)
        #expect(plugin.stepSizePolicy == .adaptiveInitial(StepSizeDefault(0.2, scaling: .length)))
        #expect(plugin.hyperparameters.map(\.name) == ["a", "k", "kind"])
        #expect(try plugin.resolve([:]).values == ["a": .number(0.5), "k": .number(3), "kind": .text("p")])
        #expect(throws: WorkbenchError.self) { try plugin.resolve(["a": .number(0)]) }  // open at 0
        #expect(throws: WorkbenchError.self) { try plugin.resolve(["k": .number(2.5)]) }
        #expect(try plugin.chainCost(parameters: [:], batchSize: 10, dataSize: 100, target: TargetCapabilities(analyticHessian: false))
            == (perStep: 20, setup: 100))
        // A command element naming a file beside the manifest is made absolute; the others stay.
        let manifest = try #require(plugin.external)
        #expect(manifest.argv == ["python3", folder.appendingPathComponent("run.py").path, "--fast"])
    }

    @Test func mistakesNameTheField() throws {
        for (body, needle) in [
            (#"{"id": "x", "summary": "s", "command": ["a"], "stepSize": {"policy": "fixed"}, "gradientCost": {}, "extra": 1}"#, "extra"),
            (#"{"id": "x y", "summary": "s", "command": ["a"], "stepSize": {"policy": "fixed"}, "gradientCost": {}}"#, "id"),
            (#"{"id": "x", "summary": "s", "command": [], "stepSize": {"policy": "fixed"}, "gradientCost": {}}"#, "command"),
            (#"{"id": "x", "summary": "s", "command": ["a"], "stepSize": {"policy": "sometimes"}, "gradientCost": {}}"#, "policy"),
            (#"{"id": "x", "summary": "s", "command": ["a"], "stepSize": {"policy": "adaptive"}, "gradientCost": {}}"#, "stepSize.default"),
            (#"{"id": "x", "summary": "s", "command": ["a"], "stepSize": {"policy": "none"}, "gradientCost": {"batchGradientsPerStep": -1}}"#, "batchGradientsPerStep"),
            (#"{"id": "x", "summary": "s", "command": ["a"], "stepSize": {"policy": "none"}, "gradientCost": {}, "hyperparameters": [{"name": "c", "default": "p", "choices": ["q"]}]}"#, "hyperparameter c"),
        ] {
            let (folder, path) = try write(body)
            defer { try? FileManager.default.removeItem(at: folder) }
            let error = try #require(throws: WorkbenchError.self) { try ExternalManifest.load(path) }
            #expect("\(error)".contains(needle), "\(error)")
        }
    }

    @Test func yamlManifestsReadTheSame() throws {
        let (folder, path) = try write("""
            id: ext-x
            summary: a test sampler
            command: [python3, run.py]
            stepSize: {policy: fixed, default: 0.05}
            gradientCost: {batchGradientsPerStep: 1}
            """, name: "x.sampler.yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = try SamplerPlugin.external(ExternalManifest.load(path))
        #expect(plugin.id == "ext-x" && plugin.stepSizePolicy == .fixed(StepSizeDefault(0.05, scaling: .time)))
    }

    /// The identity hashes the manifest and the files its command names: it changes when the
    /// script changes, not when an unrelated file does; a spec that records it keeps it in its
    /// canonical JSON, and one without external samplers leaves the field out.
    @Test func identityFollowsTheFiles() throws {
        let (folder, path) = try write(Self.full)
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try ExternalManifest.load(path)
        let before = try manifest.identity()
        try "unrelated".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(try manifest.identity() == before)
        try "print('changed')\n".write(to: folder.appendingPathComponent("run.py"), atomically: true, encoding: .utf8)
        #expect(try manifest.identity() != before)
        #expect(before.manifest == path && before.sha256.count == 64)
        var spec = GridSpec(samplers: ["ext-x"], targets: ["std-normal-1d"], stepSizes: [0.1], steps: 100)
        let plain = String(decoding: try spec.canonicalJSON(), as: UTF8.self)
        #expect(!plain.contains("externalSamplers"))
        spec.externalSamplers = ["ext-x": before]
        let recorded = try JSONDecoder().decode(GridSpec.self, from: try spec.canonicalJSON())
        #expect(recorded.externalSamplers == ["ext-x": before])
        #expect(try recorded.identityHash() == spec.identityHash())
    }
}
