import Workbench

/// The overview pages: samplers × targets heatmaps of efficiency, bias and stability (the
/// ranking table per target is `ReportRankings`).
///
/// Each (sampler, target) pair is summarised over its step sizes: ESS per gradient and b² at
/// the configuration that does best on that metric among those where no chain diverged
/// (seed means), with that step size in the cell text; the divergence rate over every chain
/// of every step size and seed; and the largest step size at which no chain of any seed
/// diverged (DIAGNOSTICS.md `stability`).
enum ReportOverview {
    struct Summary {
        var bestESS: (value: Double, stepSize: Double?)?
        var bestBias: (value: Double, stepSize: Double?)?
        var divergenceRate: Double
        var maxStableStepSize: Double?
        var usesStepSize: Bool
    }

    static func summarise(_ groups: [SeedGroup]) -> Summary {
        let stable = groups.filter { $0.divergedChains.diverged == 0 }
        let ess = stable.compactMap { g in g.spread("ess-per-gradient").map { ($0.mean, g.stepSize) } }.max { $0.0 < $1.0 }
        let bias = stable.compactMap { g in g.spread("b2").map { ($0.mean, g.stepSize) } }.min { $0.0 < $1.0 }
        let chains = groups.reduce(0) { $0 + $1.divergedChains.total }
        let diverged = groups.reduce(0) { $0 + $1.divergedChains.diverged }
        return Summary(bestESS: ess, bestBias: bias, divergenceRate: chains > 0 ? Double(diverged) / Double(chains) : 0,
                       maxStableStepSize: stable.compactMap(\.stepSize).max(),
                       usesStepSize: groups.contains { $0.stepSize != nil })
    }

    static func heatmaps(_ groups: [SeedGroup]) -> [Page] {
        let samplers = ReportPages.samplers(groups), targets = ReportPages.targets(groups)
        let summaries = samplers.map { s in targets.map { t in summarise(groups.filter { $0.sampler == s && $0.target == t }) } }
        func at(_ h: Double?) -> String { h.map { "\nh=\(ReportFormat.compact($0))" } ?? "" }
        func map(_ cell: (Summary) -> Heatmap.Cell, higherIsBetter: Bool, log: Bool) -> Heatmap {
            Heatmap(rowLabels: samplers, columnLabels: targets, cells: summaries.map { $0.map(cell) },
                    higherIsBetter: higherIsBetter, logScale: log)
        }
        let empty = Heatmap.Cell(value: nil, text: "—")
        let efficiency = Page(title: "Efficiency and bias: samplers × targets", stem: "overview-efficiency-bias", panels: [
            .heatmap(title: "ESS per gradient (best stable h)", map({ s in
                s.bestESS.map { Heatmap.Cell(value: $0.value, text: ReportFormat.compact($0.value) + at($0.stepSize)) } ?? empty
            }, higherIsBetter: true, log: true)),
            .heatmap(title: "bias b² (best stable h)", map({ s in
                s.bestBias.map { Heatmap.Cell(value: $0.value, text: ReportFormat.compact($0.value) + at($0.stepSize)) } ?? empty
            }, higherIsBetter: false, log: true)),
        ], rows: 1, columns: 2)
        let stability = Page(title: "Stability: samplers × targets", stem: "overview-stability", panels: [
            .heatmap(title: "divergence rate (all h, seeds)", map({ s in
                Heatmap.Cell(value: s.divergenceRate, text: String(format: "%.0f%%", 100 * s.divergenceRate))
            }, higherIsBetter: false, log: false)),
            .heatmap(title: "max stable step size", map({ s in
                s.maxStableStepSize.map { Heatmap.Cell(value: $0, text: ReportFormat.compact($0)) }
                    ?? Heatmap.Cell(value: nil, text: s.usesStepSize ? "none" : "n/a")
            }, higherIsBetter: true, log: true)),
        ], rows: 1, columns: 2)
        return [efficiency, stability]
    }
}
