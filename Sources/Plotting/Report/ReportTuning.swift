import Workbench

/// The report's "Tuning protocol" pages and tables (README, "The tuning protocol"): the
/// protocol's settings, per target panels of b² against step size over each sampler's sweep
/// (seven samplers a panel, the panels of a target on the same axes) with the chosen step
/// size ringed, and the decision table (chosen h and why, per pair).
enum ReportTuning {
    /// The protocol's settings, one line each.
    static func settings(_ tuning: TuningSpec, spec: GridSpec) -> [String] {
        let budget = tuning.budget ?? spec.gradientBudget
        return [
            "rule          \(tuning.rule.rawValue) (ties within \(ReportFormat.number(100 * tuning.tieTolerance))% go to the larger step size;"
                + " points with a diverged chain are excluded)",
            "sweep         \(tuning.points) step sizes, log-spaced over a ratio of \(ReportFormat.number(tuning.span)),"
                + " centred on h₀·s^p (SAMPLERS.md)",
            "sweep budget  " + (budget.map { "\(ReportFormat.number($0)) full-gradient equivalents per chain" } ?? "\(spec.steps) steps per chain")
                + ", seed \(tuning.seed), \(spec.chains) chains",
            "final runs    seeds \(spec.seeds.map(String.init).joined(separator: ", ")) at the chosen step size, "
                + (spec.gradientBudget.map { "\(ReportFormat.number($0)) full-gradient equivalents per chain" } ?? "\(spec.steps) steps per chain"),
        ]
    }

    /// One row per pair: target, sampler, the sweep evaluated ("first…last (points)", extra
    /// points included), diverged points over points, chosen h, b² there, why, and why the
    /// chosen h is at an end of its sweep (`TuningDecision.boundary`, "—" when it is not);
    /// numbers in the reasons to four digits.
    static func rows(_ decisions: [TuningDecision]) -> [[String]] {
        decisions.map { d in
            let sweep = d.points.isEmpty ? "—"
                : "\(ReportFormat.compact(d.points.first!.stepSize))…\(ReportFormat.compact(d.points.last!.stepSize)) (\(d.points.count))"
            let chosen = d.points.first { $0.stepSize == d.stepSize }
            let diverged = d.points.filter { !$0.ok || $0.divergedChains > 0 }.count
            return [label(d), d.sampler, sweep, d.points.isEmpty ? "—" : "\(diverged)/\(d.points.count)",
                    d.stepSize.map { ReportFormat.number($0) } ?? (d.noStableStepSize ? "none" : "—"),
                    ReportFormat.number(chosen?.b2), ReportFormat.roundingNumbers(in: d.reason)
                        + (d.skippedCells.isEmpty ? "" : "; final cells skipped: \(d.skippedCells.count)"),
                    d.boundary.map(ReportFormat.roundingNumbers) ?? "—"]
        }
    }

    static let headings = ["target", "sampler", "sweep h (points)", "diverged", "chosen h", "b² there", "why", "at the sweep's edge"]

    /// The target's label from a pair id ("gaussian-iso noise=isotropic").
    static func label(_ d: TuningDecision) -> String {
        let parts = d.pair.split(separator: "|").map(String.init)
        let options = parts.count > 2 && !parts[2].hasPrefix("n=") ? " " + parts[2].replacingOccurrences(of: ",", with: " ") : ""
        return d.target + options
    }

    static func pages(_ decisions: [TuningDecision], spec: GridSpec) -> [Page] {
        guard let tuning = spec.tuning else { return [] }
        var lines = settings(tuning, spec: spec)
        let skipped = decisions.filter(\.noStableStepSize)
        if !skipped.isEmpty {
            lines += [""] + TextBlock.wrapped("no stable step size (final cells skipped): "
                + skipped.map { "\($0.sampler) on \(label($0))" }.joined(separator: "; "), width: TextCapacity.page.characters, indent: 2)
        }
        // The page shows the numbers; why each h was chosen is in summary.md and index.html,
        // and why a chosen h is at the sweep's edge is listed under the table.
        let table = TextTable(headers: Array(headings.prefix(6)),
                              rows: rows(decisions).map { Array($0.prefix(6)) }, rightAligned: [2, 3, 4, 5])
        let edges = decisions.filter { $0.boundary != nil }.map {
            TextBlock.wrapped("  \($0.sampler) on \(label($0)): \($0.boundary!)", width: TextCapacity.page.characters, indent: 6)
        }
        var pages = Page.textPages(title: "Tuning protocol", stem: "tuning", blocks: [
            TextBlock(lines: lines), TextBlock(table: table),
            TextBlock(header: ["chosen h at an end of its sweep (its final cells warn: boundary):"], entries: edges),
        ].filter { !$0.entries.isEmpty })
        var targets: [String] = []
        for d in decisions where !d.points.isEmpty && !targets.contains(label(d)) { targets.append(label(d)) }
        let panels = targets.flatMap { target -> [Panel] in
            let swept = decisions.filter { label($0) == target && !$0.points.isEmpty }
                .compactMap { d -> (TuningDecision, [TuningPoint])? in
                    let stable = d.points.filter { $0.ok && $0.divergedChains == 0 && ($0.b2 ?? 0) > 0 }
                    return stable.isEmpty ? nil : (d, stable)
                }
            guard !swept.isEmpty else {
                return [Panel.text(title: target, lines: ["no sweep point without a divergence", "defines b²"])]
            }
            // Seven samplers and the rings a panel: eight series, no two alike.
            let chunks = Panel.balancedChunks(swept, maxPerChunk: Panel.maxSeriesPerPanel - 1)
            return Panel.sharingAxes(chunks.enumerated().map { k, chunk in
                var series: [Series] = chunk.map { d, stable in .lineMarkers(d.sampler, x: stable.map(\.stepSize), y: stable.map { $0.b2! }) }
                let chosen = chunk.compactMap { d, stable in d.stepSize.flatMap { h in stable.first { $0.stepSize == h } } }
                if !chosen.isEmpty {
                    series.append(.markers("chosen h", x: chosen.map(\.stepSize), y: chosen.map { $0.b2! },
                                           style: SeriesStyle(color: .black, marker: .openCircle, lineWidth: 2.5)))
                }
                return Panel(title: target + (chunks.count > 1 ? " (\(k + 1)/\(chunks.count))" : ""), x: .log("step size h"),
                             y: .log("b² (sweep seed; diverged points left out)"), series: series, legend: .below)
            })
        }
        pages += ReportPages.paged(title: "Tuning sweeps: b² against step size, chosen h ringed",
                                   stem: "tuning-sweeps", panels: panels, perPage: 2)
        return pages
    }
}
