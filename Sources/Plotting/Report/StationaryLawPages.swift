import Foundation
import Workbench

extension ReportPages {
    /// Whether a configuration's first seed carries its sampler's predicted stationary law
    /// (runs on the 1-D standard normal with full-batch gradients; `MarginalHistogram`) and the
    /// law's assumptions hold for the run (`StationaryPredictionScope`: full batch, h ≤ 0.01, a
    /// long run).
    static func hasPrediction(_ group: SeedGroup) -> Bool {
        // `exact` predicts the target itself: its marginal page says as much.
        guard group.stepSize != nil, let first = group.results.first else { return false }
        return first.marginal?.predictedFormula != nil && first.predictionOutOfScope == nil
    }

    /// The one-line note on a marginal panel whose sampler predicts a law that does not apply
    /// to the run, saying why no prediction is drawn; nil otherwise.
    static func predictionNote(_ group: SeedGroup) -> String? {
        group.results.first?.predictionOutOfScope.map { "no predicted law: \($0)" }
    }

    /// The experiment of arXiv 2403.08609 (preset `seed-001`): per target, one panel per configuration
    /// that predicts its stationary law, at its first seed — the histogram of the draws (bin
    /// width 0.1 sd) against the exact density (black) and the sampler's predicted stationary
    /// density (dashed vermillion; the table at the end of SAMPLERS.md), with the variance of
    /// the draws and of the predicted law under the panel. A closing text panel is the key (the
    /// legends would cover the peaks of panels this small). One page per step size and batch
    /// size (configurations without a step size join the first), at most 11 panels and the key
    /// per page, so panels stay readable; then a text page lists the predicted laws, whose
    /// formulas are too long for a panel. These configurations are left off the plain marginal
    /// pages; configurations whose law's assumptions do not hold (`hasPrediction`) are drawn
    /// there, with a note why no law is shown.
    static func stationaryLaws(_ groups: [SeedGroup]) -> [Page] {
        targets(groups).flatMap { target -> [Page] in
            let mine = groups.filter { $0.target == target && hasPrediction($0) }
            guard !mine.isEmpty else { return [] }
            // Pages: one per step size and batch size, in grid order.
            var keys: [String] = [], members: [String: [SeedGroup]] = [:]
            for group in mine where group.stepSize != nil {
                let key = "\(group.stepSize!)|\(group.batchSize)"
                if members[key] == nil { keys.append(key) }
                members[key, default: []].append(group)
            }
            let partitions = keys.map { members[$0]! }
            let chunks = partitions.flatMap { part in
                stride(from: 0, to: part.count, by: 11).map { Array(part[$0..<min($0 + 11, part.count)]) }
            }
            var rows: [[String]] = []
            var pages: [Page] = []
            for (index, chunk) in chunks.enumerated() {
                let panels = chunk.map { group -> Panel in
                    let (panel, row) = stationaryPanel(group)
                    rows.append(row)
                    return panel
                }
                let step = chunk.compactMap(\.stepSize).first.map { ", h = \(ReportFormat.number($0))" } ?? ""
                let batch = chunk.first.flatMap { if case .size(let n) = $0.batchSize { ", n = \(n)" } else { nil } } ?? ""
                let part = chunks.count > 1 ? " (\(index + 1)/\(chunks.count))" : ""
                pages.append(Page(title: "Stationary laws on \(target)\(step)\(batch)\(part)",
                                  stem: "stationary-\(slug(target))" + (index == 0 ? "" : "-\(index + 1)"),
                                  panels: panels + [keyPanel(chunk)], columns: 3))
            }
            let table = TextTable(headers: ["configuration", "predicted stationary law", "Var law", "Var draws"],
                                  rows: rows, rightAligned: [2, 3])
            pages.append(Page.text(title: "Predicted stationary laws, \(target)", stem: "stationary-laws-\(slug(target))",
                                   lines: table.lines + [""] + TextBlock.wrapped(
                                       "Laws without Γ are the zero-flux solutions p · G⁻¹ in the fast-adaptation limit; "
                                           + "the samplers' running averages move them slightly (SAMPLERS.md).", width: 60)))
            return pages
        }
    }

    /// The key of the stationary-law panels, with the assumptions the predicted laws rest on
    /// and how the page's runs meet them (`StationaryPredictionScope`).
    static func keyPanel(_ groups: [SeedGroup]) -> Panel {
        let times = groups.compactMap { g -> Double? in
            guard let r = g.results.first, let h = r.stepSize else { return nil }
            return Double(r.chains) * Double(r.steps - r.warmup) * h
        }
        let here = times.min().map { " (here ≥ \(ReportFormat.compact($0)))" } ?? ""
        return Panel.text(title: "Key", lines: [
            "bars    draws, bin 0.1 sd",
            "black   exact density",
            "dashed  predicted law: long-run,",
            "        h → 0, full batch",
            "Var     of draws; law: of the law",
            "drawn   for full batch, h ≤ \(ReportFormat.number(StationaryPredictionScope.maxStepSize)),",
            "        ≥ \(ReportFormat.number(StationaryPredictionScope.minTimeUnits)) time units\(here)",
        ])
    }

    /// One configuration's panel (titled with the sampler; the page names the step size) and
    /// its row of the laws table.
    private static func stationaryPanel(_ group: SeedGroup) -> (Panel, [String]) {
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
        let row = [group.label, m.predictedFormula ?? "", law.map { ReportFormat.number($0) } ?? "point mass",
                   ReportFormat.number(measured)]
        let panel = Panel(title: group.sampler, x: Axis("Var \(short(measured)), law \(law.map(short) ?? "δ")"),
                          y: Axis("density"), series: series, legend: .hidden)
        return (panel, row)
    }

    /// Three significant digits, for axis labels.
    private static func short(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: "%.3g", x)
    }

    /// The variance of the draws: the `moments` diagnostic's variance ratio times the reference
    /// variance (1 here), or else the histogram's second moment about its mean.
    private static func measuredVariance(_ result: CellResult) -> Double? {
        if let ratio = result.metric(.varianceRatioMean) { return ratio }
        guard let m = result.marginal else { return nil }
        let x = centres(m.edges), w = m.edges[1] - m.edges[0]
        let mass = m.density.reduce(0, +) * w
        guard mass > 0 else { return nil }
        let mean = zip(x, m.density).reduce(0) { $0 + $1.0 * $1.1 } * w / mass
        return zip(x, m.density).reduce(0) { $0 + ($1.0 - mean) * ($1.0 - mean) * $1.1 } * w / mass
    }
}
