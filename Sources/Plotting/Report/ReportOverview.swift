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
        let ess = stable.compactMap { g in g.spread(.essPerGradient).map { ($0.mean, g.stepSize) } }.max { $0.0 < $1.0 }
        let bias = stable.compactMap { g in g.spread(.b2).map { ($0.mean, g.stepSize) } }.min { $0.0 < $1.0 }
        let chains = groups.reduce(0) { $0 + $1.divergedChains.total }
        let diverged = groups.reduce(0) { $0 + $1.divergedChains.diverged }
        return Summary(bestESS: ess, bestBias: bias, divergenceRate: chains > 0 ? Double(diverged) / Double(chains) : 0,
                       maxStableStepSize: stable.compactMap(\.stepSize).max(),
                       usesStepSize: groups.contains { $0.stepSize != nil })
    }

    /// The overview heatmaps, one a page so that a grid of all samplers and targets stays
    /// readable as numbers: ESS per gradient and b² at the best stable h (the final cells), the
    /// share of chains that diverged and the largest step size without a diverged chain (every
    /// cell of the pair: with a tuning protocol the sweep's cells count too, since a pair whose
    /// every sweep point diverged is not 0 % unstable).
    ///
    /// A pair is failed (hatched, `Heatmap.CellMark.fail`) when some cell it is judged by has
    /// verdict `.fail` (`ReportHealth.health(of:)`: its own health with its pair's tuning
    /// boundary), and warn (corner mark) when one has `.warn`: with a
    /// tuning protocol the judged cells are the pair's final cells (every seed), without one the
    /// seeds of the configuration the heatmap's value comes from (for the stability maps the
    /// configuration `ReportPages.representative` shows).
    static func heatmaps(results: [CellResult], health: ReportHealth) -> [Page] {
        let finalGroups = SeedGroup.grouping(results.filter { $0.phase != .tune })
        let allGroups = SeedGroup.grouping(results)
        let tuned = results.contains { $0.phase == .tune }
        let samplers = ReportPages.samplers(allGroups), targets = ReportPages.targets(allGroups)
        func pair(_ groups: [SeedGroup], _ s: String, _ t: String) -> [SeedGroup] { groups.filter { $0.sampler == s && $0.target == t } }
        /// The mark of a pair from the cells it is judged by (see above).
        func mark(_ s: String, _ t: String, shown: SeedGroup?) -> Heatmap.CellMark {
            let judged = results.filter { r in
                guard r.samplerLabel == s, r.targetLabel == t else { return false }
                if tuned { return r.phase == .final }
                guard let shown else { return false }
                return r.stepSize == shown.stepSize && r.batchSize == shown.batchSize
            }
            switch judged.map({ health.health(of: $0).verdict }).max() {
            case .fail?: return .fail
            case .warn?: return .warn
            default: return .none
            }
        }
        func at(_ h: Double?) -> String { h.map { "\nh=\(ReportFormat.compact($0))" } ?? "" }
        func map(_ cell: (String, String) -> Heatmap.Cell, higherIsBetter: Bool, log: Bool, unit: String,
                 range: Heatmap.ColourRange? = nil) -> Heatmap {
            Heatmap(rowLabels: samplers, columnLabels: targets,
                    cells: samplers.map { s in targets.map { t in cell(s, t) } },
                    higherIsBetter: higherIsBetter, logScale: log, unit: unit, range: range)
        }
        /// The best stable configuration's value (`summarise` over the final cells).
        func best(_ metric: KeyPath<Summary, (value: Double, stepSize: Double?)?>, _ s: String, _ t: String) -> Heatmap.Cell {
            let mine = pair(finalGroups, s, t)
            guard !mine.isEmpty else { return Heatmap.Cell(value: nil, text: "—") }
            let found = summarise(mine)[keyPath: metric]
            let shown = found.flatMap { f in mine.first { $0.stepSize == f.stepSize && $0.divergedChains.diverged == 0 } }
            let cellMark = mark(s, t, shown: shown ?? ReportPages.representative(mine))
            guard let found else { return Heatmap.Cell(value: nil, text: "—", mark: cellMark) }
            return Heatmap.Cell(value: found.value, text: ReportFormat.compact(found.value) + at(found.stepSize), mark: cellMark)
        }
        let cells = tuned ? "sweep + final cells" : "all cells"
        let efficiency = Page(title: "Efficiency: samplers × targets", stem: "overview-efficiency", panels: [
            .heatmap(title: "ESS per gradient at the best stable h (final cells, seed mean; h under the value)",
                     map({ best(\.bestESS, $0, $1) }, higherIsBetter: true, log: true, unit: "ESS per gradient evaluation")),
        ], rows: 1, columns: 1)
        let bias = Page(title: "Bias: samplers × targets", stem: "overview-bias", panels: [
            .heatmap(title: "bias b² at the best stable h (final cells, seed mean; h under the value)",
                     map({ best(\.bestBias, $0, $1) }, higherIsBetter: false, log: true, unit: "b² (x and x², worse of the two)")),
        ], rows: 1, columns: 1)
        let divergence = Page(title: "Stability: chains diverged", stem: "overview-divergence", panels: [
            .heatmap(title: "chains diverged, \(cells) (every h and seed): per cent, and diverged/run", map({ s, t in
                let mine = pair(allGroups, s, t)
                guard !mine.isEmpty else { return Heatmap.Cell(value: nil, text: "—") }
                let diverged = mine.reduce(0) { $0 + $1.divergedChains.diverged }, chains = mine.reduce(0) { $0 + $1.divergedChains.total }
                let rate = chains > 0 ? 100 * Double(diverged) / Double(chains) : 0
                return Heatmap.Cell(value: rate, text: String(format: "%.0f%%", rate) + "\n\(diverged)/\(chains)",
                                    mark: mark(s, t, shown: ReportPages.representative(pair(finalGroups, s, t))))
            }, higherIsBetter: false, log: false, unit: "% of chains diverged", range: .fixed(0...100))),
        ], rows: 1, columns: 1)
        let stable = Page(title: "Stability: largest stable step size", stem: "overview-max-stable-h", panels: [
            .heatmap(title: "largest step size at which no chain diverged, \(cells)", map({ s, t in
                let mine = pair(allGroups, s, t)
                guard !mine.isEmpty else { return Heatmap.Cell(value: nil, text: "—") }
                let summary = summarise(mine)
                let cellMark = mark(s, t, shown: ReportPages.representative(pair(finalGroups, s, t)))
                return summary.maxStableStepSize.map { Heatmap.Cell(value: $0, text: ReportFormat.compact($0), mark: cellMark) }
                    ?? Heatmap.Cell(value: nil, text: summary.usesStepSize ? "none" : "n/a", mark: cellMark)
            }, higherIsBetter: true, log: true, unit: "step size h")),
        ], rows: 1, columns: 1)
        return [efficiency, bias, divergence, stable]
    }
}
