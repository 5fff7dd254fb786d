import Workbench

/// The figure of the SMILE paper's analytic benchmark (arXiv 2602.06500, as its public code's
/// `analysis.py` computes it): b² of x² per chain after thinning (`chain-b2`), mean ± sd over
/// the chains (the paper's replications), against the step size on log–log axes — one panel
/// per target configuration (per noise model in `seed-000-analytical`), one series per
/// sampler configuration (plain vs preconditioned). With several seeds a point is the mean
/// over seeds of the per-chain mean, its bar ± the mean over seeds of the per-chain sd. On
/// the log axis a bar's lower end is drawn at max(mean − sd, mean/100): an sd at or above the
/// mean cannot be drawn below zero.
///
/// Only grids that ran `chain-b2` explicitly and sweep the step size get the page (grids with
/// `diagnostics: all` already have the pooled b² against step size).
enum ChainBiasPages {
    static func pages(_ groups: [SeedGroup], spec: GridSpec) -> [Page] {
        guard spec.diagnostics.contains("chain-b2"), ReportPages.sweepsStepSize(groups) else { return [] }
        let labels = ReportPages.targets(groups)
        let titles = ReportPages.distinctParts(of: labels)
        let panels = zip(labels, titles).compactMap { target, title -> Panel? in
            let mine = groups.filter { $0.target == target && $0.stepSize != nil }
            let series: [Series] = ReportPages.samplers(mine).compactMap { sampler in
                let points = mine.filter { $0.sampler == sampler }.compactMap { g -> (Double, Double, Double)? in
                    guard let mean = g.spread(.chainB2SquaresMean)?.mean, mean > 0,
                          let sd = g.spread(.chainB2SquaresSD)?.mean else { return nil }
                    return (g.stepSize!, mean, sd)
                }.sorted { $0.0 < $1.0 }
                guard !points.isEmpty else { return nil }
                return .errorBars(
                    ReportPages.distinctParts(of: ReportPages.samplers(mine))[ReportPages.samplers(mine).firstIndex(of: sampler)!],
                    x: points.map(\.0), y: points.map(\.1),
                    yLow: points.map { max($0.1 - $0.2, $0.1 / 100) }, yHigh: points.map { $0.1 + $0.2 }, connect: true)
            }
            guard !series.isEmpty else { return nil }
            return Panel(title: title, x: .log("step size ε"), y: .log("b² of x² per chain"), series: series,
                         legend: .below)
        }
        return ReportPages.paged(title: "b² of x² per chain against step size (mean ± sd over chains)",
                                 stem: "chain-bias-vs-step-size", panels: panels, perPage: 4)
    }
}
