import Foundation
import Workbench

/// Section (g): what a sampler in Python costs over the external-sampler protocol (issue 28,
/// docs/EXTERNAL.md) — the NumPy `ext-sgld` of `examples/external/` against the built-in
/// `sgld`, each cell through `CellRunner` as a grid runs it.
///
/// - µs per gradient round trip on std-normal-1d at 1 and 64 chains: one step of ext-sgld is
///   one round trip (its record carries the next step's gradient request), so the step time is
///   the round trip plus NumPy's update; the child's start (Python, NumPy import) is removed by
///   timing S and 2S steps and taking the difference over S.
/// - The ratio of ext-sgld's step time to sgld's at 4 chains on gaussian-iso (d = 100, full
///   batch) and the yacht-sized MLP (2 × 50 tanh, batch 32), both timed the same way, the
///   built-in's median and the external's beside it.
/// Needs `python3` with NumPy; the manifest is `examples/external/sgld.sampler.json` under the
/// project root (`ProjectPaths.root`).
enum ExternalCost {
    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let manifest = ProjectPaths.root + "/examples/external/sgld.sampler.json"
        let registry = try settings.registry.samplers.contains { $0.id == "ext-sgld" } ? settings.registry
            : settings.registry + [SamplerPlugin.external(ExternalManifest.load(manifest))]
        let runner = CellRunner(registry: registry)
        let command = settings.command(.external)
        var rows: [PerfRow] = []
        for chains in [1, 64] {
            let steps = settings.scaled(chains == 1 ? 20_000 : 5_000, floor: 50)
            let cell = { (s: Int) in Cell(sampler: "ext-sgld", target: "std-normal-1d", stepSize: 0.1, chains: chains, steps: s) }
            let summary = try perStep(runner, cell, steps: steps, repetitions: settings.repetitions)
            rows.append(PerfRow(
                section: "external", key: "external/roundtrip/std-normal-1d/\(chains)",
                label: "ext-sgld (NumPy) on std-normal-1d, \(chains) chain\(chains == 1 ? "" : "s"): one gradient round trip and update per step, "
                    + "(\(2 * steps) − \(steps) steps) / \(steps)",
                unit: "µs/round trip", summary: summary, goal: nil, detail: nil,
                command: "bench run --external \(manifest) --sampler ext-sgld --target std-normal-1d --step-size 0.1 --chains \(chains) --steps \(steps)  (\(command))"))
        }
        let comparisons: [(name: String, label: String, steps: Int, cell: @Sendable (String, Int) -> Cell)] = [
            ("gaussian-iso", "gaussian-iso (d = 100), full batch, h = 0.01", 4_000,
             { Cell(sampler: $0, target: "gaussian-iso", stepSize: 0.01, chains: 4, steps: $1) }),
            ("yacht-2x50", "the yacht-sized MLP (2 × 50 tanh), batch 32, h = 1e-5", 1_000,
             { Cell(sampler: $0, target: "bnn-uci-yacht", targetOptions: ["depth": .number(2)], stepSize: 1e-5, batchSize: 32, chains: 4, steps: $1) }),
        ]
        for comparison in comparisons {
            let steps = settings.scaled(comparison.steps, floor: 50)
            let builtIn = try perStep(runner, { comparison.cell("sgld", $0) }, steps: steps, repetitions: settings.repetitions)
            let external = try perStep(runner, { comparison.cell("ext-sgld", $0) }, steps: steps, repetitions: settings.repetitions)
            rows.append(PerfRow(
                section: "external", key: "external/ratio/\(comparison.name)/4",
                label: "ext-sgld / sgld per step on \(comparison.label), 4 chains, (\(2 * steps) − \(steps) steps) / \(steps)",
                unit: "× sgld", summary: PerfSummary(zip(external.values, builtIn.values).map { $0 / $1 }), goal: nil,
                detail: "ext-sgld \(PerfReport.number(external.median)) µs, sgld \(PerfReport.number(builtIn.median)) µs per step",
                command: "bench run [--external \(manifest)] --sampler sgld|ext-sgld …  (\(command))"))
        }
        return rows
    }

    /// µs per step of the cells `cell(S)` and `cell(2S)`: (wall(2S) − wall(S)) / S, which
    /// removes what does not grow with the steps (the child's start, diagnostics are not run).
    static func perStep(_ runner: CellRunner, _ cell: (Int) -> Cell, steps: Int, repetitions: Int) throws -> PerfSummary {
        let prepared = try runner.makeTarget(cell(steps))
        return try PerfSummary.repeating(repetitions) {
            let short = try runner.run(cell(steps), prepared: prepared).0.wallSeconds
            let long = try runner.run(cell(2 * steps), prepared: prepared).0.wallSeconds
            return max(0, long - short) / Double(steps) * 1e6
        }
    }
}
