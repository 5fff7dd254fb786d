import Foundation
import Workbench

extension ReportPages {
    /// Whether a configuration's first seed carries its sampler's predicted stationary law
    /// (runs on the 1-D standard normal with full-batch gradients; `MarginalHistogram`).
    static func hasPrediction(_ group: SeedGroup) -> Bool {
        group.results.first?.marginal?.predictedFormula != nil
    }

    /// The experiment of seed 001 (preset `seed-001`): per target, one panel per configuration
    /// that predicts its stationary law, at its first seed — the histogram of the draws (bin
    /// width 0.1 sd) against the exact density (black) and the sampler's predicted stationary
    /// density (dashed vermillion; the table at the end of SAMPLERS.md), with the variance of
    /// the draws and of the predicted law under the panel. A closing text panel is the key (the
    /// legends would cover the peaks of panels this small), and a text page lists the predicted
    /// laws, whose formulas are too long for a panel. These configurations are left off the
    /// plain marginal pages.
    static func stationaryLaws(_ groups: [SeedGroup]) -> [Page] {
        targets(groups).flatMap { target -> [Page] in
            let mine = groups.filter { $0.target == target && hasPrediction($0) }
            guard !mine.isEmpty else { return [] }
            // One step size and batch size on the page: name them once, in the page title.
            let shared = Set(mine.map { "\($0.stepSize.map { "\($0)" } ?? "-")|\($0.batchSize.map(String.init) ?? "full")" }).count == 1
            let sharedStep = shared ? mine.compactMap(\.stepSize).first : nil
            var rows: [[String]] = []
            var panels: [Panel] = mine.map { group in
                let result = group.results[0], m = result.marginal!
                let x = centres(m.edges)
                var series: [Series] = [
                    .histogram("draws", edges: m.edges, densities: m.density, filled: true, style: SeriesStyle(color: .cycle(5))),
                    .density("exact", x: x, y: m.referenceDensity, style: SeriesStyle(color: .black, lineWidth: 1.2)),
                ]
                if let predicted = m.predictedDensity {
                    series.append(.density("predicted", x: x, y: predicted,
                                           style: SeriesStyle(color: .cycle(1), dash: .dashed, lineWidth: 1.4)))
                }
                let measured = measuredVariance(result)
                let law = m.predictedVariance
                rows.append([shared ? group.sampler : group.label, m.predictedFormula ?? "",
                             law.map { ReportFormat.number($0) } ?? "point mass", ReportFormat.number(measured)])
                return Panel(title: shared ? group.sampler : group.label,
                             x: Axis("Var \(short(measured)), law \(law.map(short) ?? "δ")"),
                             y: Axis("density"), series: series, legend: .hidden)
            }
            panels.append(.text(title: "Key", lines: [
                "bars    draws, bin 0.1 sd",
                "black   exact density",
                "dashed  predicted law",
                "",
                "Var     of the draws",
                "law     Var of the",
                "        predicted law",
            ]))
            let step = sharedStep.map { ", h = \(ReportFormat.number($0))" } ?? ""
            let table = TextTable(headers: ["sampler", "predicted stationary law", "Var law", "Var draws"],
                                  rows: rows, rightAligned: [2, 3])
            return [
                Page(title: "Seed 001: stationary laws on \(target)\(step)", stem: "stationary-\(slug(target))",
                     panels: panels, columns: 3),
                Page.text(title: "Seed 001: predicted laws, \(target)\(step)",
                          stem: "stationary-laws-\(slug(target))",
                          lines: table.lines + ["", "Laws without Γ are the zero-flux solutions p · G⁻¹ in the fast-adaptation limit;",
                                                "the samplers' running averages move them slightly (SAMPLERS.md)."]),
            ]
        }
    }

    /// Three significant digits, for axis labels.
    private static func short(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: "%.3g", x)
    }

    /// The variance of the draws: the `moments` diagnostic's variance ratio times the reference
    /// variance (1 here), or else the histogram's second moment about its mean.
    private static func measuredVariance(_ result: CellResult) -> Double? {
        if let ratio = result.metric("variance-ratio-mean") { return ratio }
        guard let m = result.marginal else { return nil }
        let x = centres(m.edges), w = m.edges[1] - m.edges[0]
        let mass = m.density.reduce(0, +) * w
        guard mass > 0 else { return nil }
        let mean = zip(x, m.density).reduce(0) { $0 + $1.0 * $1.1 } * w / mass
        return zip(x, m.density).reduce(0) { $0 + ($1.0 - mean) * ($1.0 - mean) * $1.1 } * w / mass
    }
}
