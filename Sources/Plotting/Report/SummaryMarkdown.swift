import Workbench

/// `summary.md`: the report's tables in Markdown.
enum SummaryMarkdown {
    static func render(_ summary: SummaryTables, manifest: GridManifest) -> String {
        func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        var out = ["# SG-MCMC workbench results", ""]
        out.append("Grid: \(summary.unfinished.countLine); revision \(manifest.provenance.revision); \(manifest.provenance.date).")
        let spec = manifest.spec
        out.append("Minibatches: \(spec.batching.rawValue); chains start at \(spec.start.phrase).")
        if let description = spec.description { out += ["", description] }
        out.append(SummaryTables.preamble)
        if !manifest.skipped.isEmpty {
            out += ["", "Left out (the sampler cannot run on the target):"] + manifest.skipped.map { "- \($0)" }
        }
        if let settings = summary.tuningSettings, let rows = summary.tuning {
            out += ["", "## Tuning protocol", "", "```"] + settings + ["```", "",
                    row(ReportTuning.headings), "|" + ReportTuning.headings.map { _ in "---" }.joined(separator: "|") + "|"]
            out += rows.map { row($0.map(UnfinishedCells.markdownCell)) }
            out += ["", "The tables below are the final runs at the chosen step sizes."]
        }
        if !summary.flagged.isEmpty {
            out += ["", "## Flagged configurations", "", SummaryTables.healthNote, "",
                    row(["target", "configuration", "health"]), "|---|---|---|"]
            out += summary.flagged.map { row([$0.target, $0.configuration, $0.health].map(UnfinishedCells.markdownCell)) }
        }
        if !summary.rankings.isEmpty {
            out += ["", "## Ranking per target", "", "```"] + ReportRankings.legend(width: 100) + [""]
                + summary.rankings.joined(separator: [""]) + ["```"]
        }
        for table in summary.tables {
            out += ["", "## \(table.target)", "", row(table.headings), "|" + table.headings.map { _ in "---" }.joined(separator: "|") + "|"]
            out += table.rows.map { row($0.map(UnfinishedCells.markdownCell)) }
        }
        out += summary.noise.markdown()
        out += summary.uci.markdown(spec: manifest.spec)
        if !summary.unfinished.entries.isEmpty {
            out += ["", "## Cells that did not finish", "", summary.unfinished.countLine + ".", "",
                    row(["cell", "status", "reason"]), "|---|---|---|"]
            out += summary.unfinished.entries.map { row([$0.key, $0.status, $0.reason].map(UnfinishedCells.markdownCell)) }
        }
        if !summary.truncated.isEmpty {
            out += ["", "## Cells stopped by the wall-time cap (not reproducible bit for bit)", "", row(["cell", "steps done (all chains)"]), "|---|---|"]
            out += summary.truncated.map { row([$0.key, "\($0.stepsDone)"]) }
        }
        out += ["", "## Metrics", "", row(["metric", "unit", "better"]), "|---|---|---|"]
        out += summary.metrics.map { row([$0.name, $0.unit, $0.better]) }
        return out.joined(separator: "\n") + "\n"
    }
}
