import Foundation
import Testing
import Workbench
@testable import BenchCLI

/// `bench new-plugin` without building anything: the files it writes, what it refuses, where
/// it points the dependency. The generated code is compiled elsewhere: the plugin files are
/// the fixtures in Tests/WorkbenchTestingTests/Templates (compiled and put through the kit by
/// `swift test`), and the manifest, entry point and test file are plugins/baoab's (built and
/// tested by CI).
@Suite struct ScaffoldTests {
    /// The repository root (this file is Tests/BenchCLITests/ScaffoldTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-test-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func aSamplerPackageHasEveryFileWired() throws {
        let scaffold = try PluginScaffold(name: "MySampler", kind: .sampler, workbenchPath: "/opt/workbench")
        #expect(scaffold.id == "my-sampler" && scaffold.executable == "bench-my-sampler")
        let folder = try temporaryFolder().appendingPathComponent("my-sampler")
        try scaffold.write(to: folder)
        let paths = [
            "Package.swift", "Sources/MySampler/MySampler.swift", "Sources/bench-my-sampler/main.swift",
            "Tests/MySamplerTests/MySamplerTests.swift", "README.md", ".gitignore",
        ]
        for path in paths { #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "\(path)") }
        let manifest = try read(folder.appendingPathComponent("Package.swift"))
        #expect(manifest.hasPrefix("// swift-tools-version:6.0"))
        #expect(manifest.contains(#".package(name: "sgmcmc-workbench", path: "/opt/workbench")"#))
        for product in ["Workbench", "BenchCLI", "Plugins", "WorkbenchTesting"] {
            #expect(manifest.contains(#".product(name: "\#(product)", package: "sgmcmc-workbench")"#))
        }
        #expect(manifest.contains(#"name: "bench-my-sampler""#) && manifest.contains(#"name: "MySamplerTests""#))
        let plugin = try read(folder.appendingPathComponent("Sources/MySampler/MySampler.swift"))
        #expect(plugin.contains("public struct MySampler: Sampler") && plugin.contains(#"static let id = "my-sampler""#))
        for requirement in ["func initialState(position: [Double], oracle: inout GradientOracle", "func step(_ state: inout State"] {
            #expect(plugin.contains(requirement))
        }
        let main = try read(folder.appendingPathComponent("Sources/bench-my-sampler/main.swift"))
        #expect(main.contains("BenchCLI.main(registry: try Registry.builtin + [MySampler.plugin])"))
        let test = try read(folder.appendingPathComponent("Tests/MySamplerTests/MySamplerTests.swift"))
        #expect(test.contains("Conformance.check(sampler: MySampler.self)"))
        #expect(test.contains("#expect(failures.isEmpty"))
        #expect(try read(folder.appendingPathComponent(".gitignore")).contains(".build/"))
    }

    @Test func targetAndDiagnosticPackagesRegisterTheirKind() throws {
        let target = try PluginScaffold(name: "Banana", kind: .target, workbenchPath: "../..")
        #expect(target.mainSource.contains("Registry.builtin + [Banana.plugin]"))
        #expect(target.pluginSource.contains("public struct Banana: Target"))
        #expect(target.testSource.contains("Conformance.check(target: Banana.self)"))
        let diagnostic = try PluginScaffold(name: "Wasserstein", kind: .diagnostic, workbenchPath: "../..")
        #expect(diagnostic.mainSource.contains("Registry.builtin + [Wasserstein.plugin]"))
        #expect(diagnostic.pluginSource.contains("public struct Wasserstein: Diagnostic"))
        #expect(diagnostic.testSource.contains("Conformance.check(diagnostic: Wasserstein.self)"))
    }

    @Test func anExistingFolderIsNeverOverwritten() throws {
        let folder = try temporaryFolder().appendingPathComponent("my-sampler")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mine = folder.appendingPathComponent("Package.swift")
        try "// mine".write(to: mine, atomically: true, encoding: .utf8)
        let scaffold = try PluginScaffold(name: "MySampler", kind: .sampler, workbenchPath: "../..")
        let error = try #require(throws: WorkbenchError.self) { try scaffold.write(to: folder) }
        #expect(error.description.contains("already exists") && error.exitCode == 64)
        #expect(try read(mine) == "// mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["Package.swift"])
    }

    @Test(arguments: ["MySampler", "BAOAB", "sgld2", "My_Sampler", "Ab1"])
    func swiftIdentifiersAreAccepted(name: String) throws {
        try PluginScaffold.validate(name: name)
    }

    @Test(arguments: ["", "my-sampler", "2fast", "_hidden", "Café", "My Sampler", "struct", "Workbench", "Plugins", "Testing"])
    func otherNamesAreRefusedSayingWhatIsAccepted(name: String) throws {
        let error = try #require(throws: WorkbenchError.self) { try PluginScaffold.validate(name: name) }
        #expect(error.description.contains("accepted: a Swift identifier"))
        #expect(error.exitCode == 64)
    }

    @Test func idsAreLowercaseWordsJoinedByHyphens() {
        let cases = ["MySampler": "my-sampler", "BAOAB": "baoab", "SGLDFast": "sgld-fast", "sgld2Fast": "sgld2-fast",
                     "My_Sampler": "my-sampler", "mclmc": "mclmc", "HMCWithNUTS": "hmc-with-nuts"]
        for (name, id) in cases { #expect(PluginScaffold.kebab(name) == id, "\(name)") }
    }

    @Test func theDependencyIsRelativeInsideTheCheckoutAndAbsoluteOutside() throws {
        let root = try temporaryFolder()
        let inside = root.appendingPathComponent("plugins/my-sampler")
        #expect(WorkbenchLocation.dependencyPath(from: inside, to: root) == "../..")
        #expect(WorkbenchLocation.dependencyPath(from: root.appendingPathComponent("a/b/c/x"), to: root) == "../../../..")
        let outside = try temporaryFolder().appendingPathComponent("plugins/my-sampler")
        #expect(WorkbenchLocation.dependencyPath(from: outside, to: root) == root.resolvingSymlinksInPath().path)
    }

    /// Walking up from the executable finds the checkout even when the tool was compiled
    /// elsewhere; a folder that is not the workbench is refused with --workbench.
    @Test func theCheckoutIsFoundFromTheExecutable() throws {
        let fake = try temporaryFolder()
        try FileManager.default.createDirectory(at: fake.appendingPathComponent("Sources/BenchCLI"), withIntermediateDirectories: true)
        try #"let package = Package(name: "sgmcmc-workbench")"#.write(
            to: fake.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        let found = try WorkbenchLocation.find(explicit: nil, executable: fake.path + "/plugins/x/.build/debug/bench-x",
                                               compiledFrom: "/nonexistent/Sources/BenchCLI/NewPluginCommand.swift")
        #expect(found.path == fake.resolvingSymlinksInPath().path)
        #expect(try WorkbenchLocation.find(explicit: nil, executable: "/nonexistent/bench").path == Self.root.resolvingSymlinksInPath().path)
        #expect(throws: WorkbenchError.self) { try WorkbenchLocation.find(explicit: "/tmp") }
    }

    /// plugins/baoab was generated by `bench new-plugin BAOAB --kind sampler` and only its
    /// sampler file (and an extra test file) edited; the files kept as generated must still be
    /// what the scaffolder writes, so CI's build of the example builds the generated package.
    @Test func theExamplePluginIsWhatTheScaffolderWrites() throws {
        let scaffold = try PluginScaffold(name: "BAOAB", kind: .sampler, workbenchPath: "../..")
        let example = Self.root.appendingPathComponent("plugins/baoab")
        for path in ["Package.swift", "Sources/bench-baoab/main.swift", "Tests/BAOABTests/BAOABTests.swift", ".gitignore"] {
            let generated = try #require(scaffold.files.first { $0.path == path }).contents
            #expect(try read(example.appendingPathComponent(path)) == generated, "plugins/baoab/\(path) differs from the template")
        }
    }

    /// The plugin files of the three kinds are compiled and checked by the kit as fixtures.
    @Test(arguments: PluginScaffold.Kind.allCases) func theTemplatesAreTheCompiledFixtures(kind: PluginScaffold.Kind) throws {
        let name = "Template" + kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()
        let scaffold = try PluginScaffold(name: name, kind: kind, workbenchPath: "../..")
        let fixture = Self.root.appendingPathComponent("Tests/WorkbenchTestingTests/Templates/\(name).swift")
        #expect(try read(fixture) == scaffold.pluginSource, "regenerate \(fixture.path) with bench new-plugin \(name) --kind \(kind.rawValue)")
    }

    @Test func aDuplicateIDStopsStartUpWithOneLineAndStatus64() throws {
        let result = BenchCLI.startUp { try Registry(samplers: [Copy.plugin]) + Registry(samplers: [Copy.plugin]) }
        guard case .failure(let failure) = result else {
            Issue.record("start-up accepted a duplicate id")
            return
        }
        #expect(failure.status == 64)
        #expect(failure.message.hasPrefix("bench: error: the sampler id 'copy' is registered twice: by BenchCLITests.Copy"))
        #expect(!failure.message.contains("\n"))
    }
}

struct Copy: Sampler {
    static let id = "copy"
    static let summary = "a sampler registered twice"
    static let stepSizePolicy = StepSizePolicy.none
    static func gradientCost(parameters: NoParameters, target: TargetCapabilities) -> GradientCost { .free }
    init(stepSize: Double, parameters: NoParameters) {}
    struct State: SamplerState { var position: [Double] }
    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position)
    }
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo { StepInfo() }
}
