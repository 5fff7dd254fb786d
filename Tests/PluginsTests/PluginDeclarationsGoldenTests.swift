import Foundation
import Plugins
import Testing
import Workbench

/// What the built-in plugins declare to users — every sampler, target and diagnostic id in
/// `bench list` order, and every parameter as name=default (the default exact, not rounded) —
/// against a committed golden file, `Golden/plugin-declarations.txt`. The typed declarations
/// of issue 31 will rewrite how every plugin declares itself; this is what must not change
/// unnoticed. After an intended change, renew the file with
/// `UPDATE_GOLDEN=1 swift test --filter PluginDeclarationsGoldenTests` and commit it.
@Suite struct PluginDeclarationsGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/plugin-declarations.txt")

    static func line(_ kind: String, _ id: String, _ parameters: [ParameterSpec]) -> String {
        let pairs = parameters.map { spec -> String in
            switch spec.defaultValue {
            case .number(let x): return "\(spec.name)=\(x)"
            case .text(let s): return "\(spec.name)=\(s)"
            }
        }
        return ([kind, id] + pairs).joined(separator: " ")
    }

    static var declarations: String {
        let registry = Registry.builtin
        let lines = registry.samplers.map { line("sampler", $0.id, $0.hyperparameters) }
            + registry.targets.map { line("target", $0.id, $0.parameters) }
            + registry.diagnostics.map { line("diagnostic", $0.id, []) }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func declarationsMatchTheGoldenFile() throws {
        let current = Self.declarations
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(current.utf8).write(to: Self.golden)
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        let (now, before) = (current.split(separator: "\n"), expected.split(separator: "\n"))
        for line in before where !now.contains(line) { Issue.record("declared before, not now: \(line)") }
        for line in now where !before.contains(line) { Issue.record("declared now, not before: \(line)") }
        #expect(current == expected, "the order of the declarations changed")
    }
}
