import Workbench

/// `summary.md`: one results table per target, one row per configuration, each metric as
/// "mean [min, max]" over seeds, with the units and directions of the metrics below.
enum SummaryMarkdown {
    /// The columns: metric name, heading.
    static let columns: [(metric: String, heading: String)] = [
        ("b2", "b²"),
        ("mean-error-max", "max mean error (sd)"),
        ("variance-ratio-worst", "worst var ratio"),
        ("bulk-ess-min", "bulk ESS (min)"),
        ("rhat-max", "R̂ (max)"),
        ("ess-per-gradient", "ESS / gradient"),
    ]

    static func render(_ groups: [SeedGroup], manifest: GridManifest) -> String {
        var out = ["# SG-MCMC workbench results", ""]
        out.append("Grid: \(manifest.cellCount) cells; revision \(manifest.provenance.revision); \(manifest.provenance.date).")
        out.append("Each value is the mean over seeds, with [min, max] when there are several; — is undefined")
        out.append("(a diverged cell, or no gradients for ESS per gradient). Diverged counts chains over all seeds.")
        for target in ReportPages.targets(groups) {
            out += ["", "## \(target)", ""]
            let headings = ["sampler", "h", "batch", "seeds", "diverged chains"] + columns.map(\.heading) + ["gradients", "wall s"]
            out.append("| " + headings.joined(separator: " | ") + " |")
            out.append("|" + headings.map { _ in "---" }.joined(separator: "|") + "|")
            for g in groups where g.target == target {
                let (diverged, chains) = g.divergedChains
                var row = [g.sampler, ReportFormat.number(g.stepSize), g.batchSize.map(String.init) ?? "full",
                           "\(g.results.count)", "\(diverged)/\(chains)"]
                row += columns.map { ReportFormat.spread(g.spread($0.metric)) }
                row.append(ReportFormat.number(g.results.map(\.gradientEvaluations).reduce(0, +) / Double(g.results.count)))
                row.append(ReportFormat.number(g.results.map(\.wallSeconds).reduce(0, +)))
                out.append("| " + row.joined(separator: " | ") + " |")
            }
        }
        out += ["", "## Metrics", "", "| metric | unit | better |", "|---|---|---|"]
        var seen = Set<String>()
        for m in groups.flatMap({ $0.results.first?.metrics ?? [] }) where seen.insert(m.diagnostic + "." + m.name).inserted {
            out.append("| \(m.diagnostic).\(m.name) | \(m.unit) | \(m.direction == .neutral ? "—" : m.direction.rawValue) |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
