import Workbench

/// `index.html`: the report for a browser — every figure (the PNGs under figures/) followed by
/// the same tables as `summary.md`. Self-contained apart from the PNGs beside it.
enum ReportHTML {
    static func render(_ summary: SummaryTables, pages: [Page], manifest: GridManifest) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        func table(_ headings: [String], _ rows: [[String]]) -> String {
            "<table><tr>" + headings.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
                + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
                + "</table>"
        }
        var body = ["<h1>SG-MCMC workbench report</h1>",
                    "<p>Grid: \(escape(summary.unfinished.countLine)); revision \(escape(manifest.provenance.revision)); \(escape(manifest.provenance.date)).</p>"]
        if !manifest.skipped.isEmpty {
            body.append("<p>Left out (the sampler cannot run on the target):</p><ul>"
                + manifest.skipped.map { "<li>\(escape($0))</li>" }.joined() + "</ul>")
        }
        for page in pages {
            body.append("<figure><img src=\"figures/\(escape(page.stem)).png\" alt=\"\(escape(page.title))\"><figcaption>\(escape(page.title))</figcaption></figure>")
        }
        if let settings = summary.tuningSettings, let rows = summary.tuning {
            body.append("<h2>Tuning protocol</h2><pre>\(escape(settings.joined(separator: "\n")))</pre>"
                + table(ReportTuning.headings, rows) + "<p>The tables below are the final runs at the chosen step sizes.</p>")
        }
        if !summary.flagged.isEmpty {
            body.append("<h2>Flagged configurations</h2><p>\(escape(SummaryTables.healthNote))</p>"
                + table(["target", "configuration", "health"], summary.flagged.map { [$0.target, $0.configuration, $0.health] }))
        }
        if !summary.rankings.isEmpty {
            body.append("<h2>Ranking per target</h2><pre>"
                + escape((ReportRankings.legend(width: 100) + [""] + summary.rankings.joined(separator: [""])).joined(separator: "\n"))
                + "</pre>")
        }
        body.append("<h2>Results</h2><p>\(escape(SummaryTables.preamble))</p>")
        for t in summary.tables { body.append("<h3>\(escape(t.target))</h3>" + table(t.headings, t.rows)) }
        if !summary.unfinished.entries.isEmpty {
            body.append("<h2>Cells that did not finish</h2><p>\(escape(summary.unfinished.countLine)).</p>"
                + table(["cell", "status", "reason"], summary.unfinished.entries.map { [$0.key, $0.status, $0.reason] }))
        }
        if !summary.truncated.isEmpty {
            body.append("<h2>Cells stopped by the wall-time cap (not reproducible bit for bit)</h2>"
                + table(["cell", "steps done (all chains)"], summary.truncated.map { [$0.key, "\($0.stepsDone)"] }))
        }
        body.append("<h2>Metrics</h2>" + table(["metric", "unit", "better"], summary.metrics.map { [$0.name, $0.unit, $0.better] }))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>SG-MCMC workbench report</title>
            <style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}
            img{max-width:100%;border:1px solid #ddd}figure{margin:2em 0}table{border-collapse:collapse;margin:1em 0;font-size:90%}
            th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}</style>
            </head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }
}
