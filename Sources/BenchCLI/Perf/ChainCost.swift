import Foundation
import Workbench

/// Section (f): the cost per chain-step when a cell runs many chains (issue 20) — SGLD on the
/// 1-D standard normal, on gaussian-iso (d = 100) and on the yacht-sized MLP, at 1, 8 and 64
/// chains, each cell through `CellRunner` on every core as a grid runs it (batched chains, one
/// batch per thread, with every chain's recording). The cell's wall time over its chains'
/// total steps; the chains share a fixed total of chain-steps, so every row does the same work.
/// With `--peers FILE` (BlackJAX's `blackjax_chains.py --json`) each row shows the peer's
/// median for the same key and the ratio.
enum ChainCost {
    /// The chain counts measured.
    static let chainCounts = [1, 8, 64]

    /// A workload: the cell at C chains and its total chain-steps.
    struct Workload: Sendable {
        let name: String
        let label: String
        let totalChainSteps: Int
        let unit: String
        let perSecond: Double
        let goalAt64: PerfGoal?
        let cell: @Sendable (_ chains: Int, _ steps: Int) -> Cell
        let command: @Sendable (_ chains: Int, _ steps: Int) -> String
    }

    static let workloads: [Workload] = [
        Workload(name: "std-normal-1d", label: "sgld on std-normal-1d, full batch, h = 1e-4", totalChainSteps: 10_000_000,
                 unit: "ns/chain-step", perSecond: 1e9, goalAt64: .atMost(6, "10× fewer than BlackJAX's 62 ns at 64 chains"),
                 cell: { Cell(sampler: "sgld", target: "std-normal-1d", stepSize: 1e-4, chains: $0, steps: $1) },
                 command: { "bench run --sampler sgld --target std-normal-1d --step-size 1e-4 --chains \($0) --steps \($1)" }),
        Workload(name: "gaussian-iso", label: "sgld on gaussian-iso (d = 100), full batch, h = 0.01", totalChainSteps: 320_000,
                 unit: "µs/chain-step", perSecond: 1e6, goalAt64: nil,
                 cell: { Cell(sampler: "sgld", target: "gaussian-iso", stepSize: 0.01, chains: $0, steps: $1) },
                 command: { "bench run --sampler sgld --target gaussian-iso --step-size 0.01 --chains \($0) --steps \($1)" }),
        Workload(name: "yacht-2x50", label: "sgld on the yacht-sized MLP (2 × 50 tanh), batch 32 per chain, h = 1e-5",
                 totalChainSteps: 12_800, unit: "µs/chain-step", perSecond: 1e6,
                 goalAt64: .atMost(20, "5× fewer than BlackJAX's 104 µs at 64 chains"),
                 cell: { Cell(sampler: "sgld", target: "bnn-uci-yacht", targetOptions: ["depth": .number(2)], stepSize: 1e-5,
                              batchSize: 32, chains: $0, steps: $1) },
                 command: { "bench run --sampler sgld --target bnn-uci-yacht --target-param depth=2 --batch-size 32 --step-size 1e-5 --chains \($0) --steps \($1)" }),
    ]

    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let runner = CellRunner(registry: settings.registry)
        let threads = ComputeThreads.current
        var rows: [PerfRow] = []
        for workload in workloads {
            let prepared = try runner.makeTarget(workload.cell(1, 1))
            for chains in chainCounts {
                let steps = max(10, settings.scaled(workload.totalChainSteps) / chains)
                let cell = workload.cell(chains, steps)
                let summary = try PerfSummary.repeating(settings.repetitions) {
                    let run = try runner.run(cell, prepared: prepared, threads: threads).0
                    return run.wallSeconds / Double(max(1, run.chains.reduce(0) { $0 + $1.steps }))
                }.scaled(by: workload.perSecond)
                let key = "chains/sgld/\(workload.name)/\(chains)"
                rows.append(PerfRow(
                    section: "chains", key: key,
                    label: "\(workload.label), \(chains) chain\(chains == 1 ? "" : "s") × \(steps) steps, "
                        + "\(min(threads, chains)) thread\(min(threads, chains) == 1 ? "" : "s")",
                    unit: workload.unit, summary: summary, goal: chains == 64 ? workload.goalAt64 : nil,
                    detail: settings.peers?.comparison(key: key, unit: workload.unit, median: summary.median),
                    command: "\(workload.command(chains, steps))  (\(settings.command(.chains)))"))
            }
        }
        return rows
    }
}
