import Foundation
import Workbench

/// Section (g): what a sampler in Python costs over the external-sampler protocol (issue 28,
/// docs/EXTERNAL.md), each cell through `CellRunner` as a grid runs it.
///
/// - µs per gradient round trip on std-normal-1d at 1 and 64 chains: `ext-probe`
///   (benchmarks/external/probe.py, gradient descent) makes one round trip per step — its record
///   carries the next step's gradient request — and one NumPy update, so its step time is the
///   protocol's cost with the Python client. The child's start (Python, the NumPy import) is
///   removed by timing S and 2S steps and taking the difference over S.
/// - The ratio of the NumPy `ext-sgld`'s (examples/external/) step time to the built-in
///   `sgld`'s at 4 chains on gaussian-iso (d = 100, full batch) and the yacht-sized MLP
///   (2 × 50 tanh, batch 32), the built-in by its cell's wall time, each median beside it; and
///   `ext-probe`'s on the MLP, where a frame carries 4 × 2 951 coordinates each way.
/// Needs `python3` with NumPy; the manifests are found under the project root (`ProjectPaths.root`).
enum ExternalCost {
    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        guard pythonHasNumPy() else {
            printError("bench perf: external: python3 with NumPy not found; section (g) is left out")
            return []
        }
        var registry = settings.registry
        for (id, path) in [("ext-sgld", "examples/external/sgld.sampler.json"), ("ext-probe", "benchmarks/external/probe.sampler.json")]
        where !registry.samplers.contains(where: { $0.id == id }) {
            registry = try registry + [SamplerPlugin.external(ExternalManifest.load(ProjectPaths.root + "/" + path))]
        }
        let runner = CellRunner(registry: registry)
        let command = settings.command(.external)
        var rows: [PerfRow] = []
        for chains in [1, 64] {
            let steps = settings.scaled(chains == 1 ? 50_000 : 20_000, floor: 50)
            let cell = { (s: Int) in Cell(sampler: "ext-probe", target: "std-normal-1d", stepSize: 0.1, chains: chains, steps: s) }
            let summary = try perStep(runner, cell, steps: steps, repetitions: settings.repetitions)
            rows.append(PerfRow(
                section: "external", key: "external/roundtrip/std-normal-1d/\(chains)",
                label: "gradient round trip (ext-probe, Python client) on std-normal-1d, \(chains) chain\(chains == 1 ? "" : "s"), "
                    + "\(steps) steps",
                unit: "µs/round trip", summary: summary, goal: nil, detail: nil,
                command: "bench run --external benchmarks/external/probe.sampler.json --sampler ext-probe --target std-normal-1d "
                    + "--step-size 0.1 --chains \(chains) --steps \(steps)  (\(command))"))
        }
        let gaussian: @Sendable (String, Int) -> Cell = { Cell(sampler: $0, target: "gaussian-iso", stepSize: 0.01, chains: 4, steps: $1) }
        let yacht: @Sendable (String, Int) -> Cell = {
            Cell(sampler: $0, target: "bnn-uci-yacht", targetOptions: ["depth": .number(2)], stepSize: 1e-5, batchSize: 32, chains: 4, steps: $1)
        }
        let comparisons: [(sampler: String, name: String, label: String, steps: Int, cell: @Sendable (String, Int) -> Cell)] = [
            ("ext-sgld", "gaussian-iso", "gaussian-iso (d = 100), full batch, h = 0.01", 20_000, gaussian),
            ("ext-sgld", "yacht-2x50", "the yacht-sized MLP (2 × 50 tanh, d = 2 951), batch 32, h = 1e-5", 2_000, yacht),
            ("ext-probe", "yacht-2x50", "the yacht-sized MLP (2 × 50 tanh, d = 2 951), batch 32, h = 1e-5", 2_000, yacht),
        ]
        for comparison in comparisons {
            let steps = settings.scaled(comparison.steps, floor: 50)
            let builtIn = try perStep(runner, { comparison.cell("sgld", $0) }, steps: steps, repetitions: settings.repetitions)
            let external = try perStep(runner, { comparison.cell(comparison.sampler, $0) }, steps: steps, repetitions: settings.repetitions)
            let what = comparison.sampler == "ext-sgld" ? "ext-sgld (NumPy SGLD)" : "ext-probe (the protocol alone)"
            rows.append(PerfRow(
                section: "external", key: "external/ratio/\(comparison.sampler)/\(comparison.name)/4",
                label: "\(what) / sgld per step on \(comparison.label), 4 chains × \(steps) steps",
                unit: "× sgld", summary: PerfSummary(zip(external.values, builtIn.values).map { $0 / $1 }), goal: nil,
                detail: "\(comparison.sampler) \(PerfReport.number(external.median)) µs, sgld \(PerfReport.number(builtIn.median)) µs per step",
                command: "bench run [--external MANIFEST] --sampler sgld (or \(comparison.sampler)) …  (\(command))"))
        }
        return rows
    }

    /// Whether `python3 -c "import numpy"` succeeds (the examples' only requirement).
    static func pythonHasNumPy() -> Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import numpy"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    /// µs per step of the cell `cell(S)`, repeated: for an external sampler the time its
    /// session served the steps (`ExternalSessionTiming`: from the child's ready to its last
    /// record, so the child's start is left out), for a built-in the cell's wall time (no
    /// diagnostics run), each over its steps.
    static func perStep(_ runner: CellRunner, _ cell: (Int) -> Cell, steps: Int, repetitions: Int) throws -> PerfSummary {
        let prepared = try runner.makeTarget(cell(steps))
        let external = runner.registry.samplers.first { $0.id == cell(steps).sampler }?.external != nil
        return try PerfSummary.repeating(repetitions) {
            let run = try runner.run(cell(steps), prepared: prepared).0
            guard external else { return run.wallSeconds / Double(steps) * 1e6 }
            guard let served = ExternalSessionTiming.lastServed, served.steps == steps else {
                throw WorkbenchError.environment("the external sampler's session timing is missing")
            }
            return served.seconds / Double(served.steps) * 1e6
        }
    }
}
