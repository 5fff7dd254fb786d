import Workbench

/// The cells of a grid that did not finish, for the report: those that failed or crashed
/// (from the results) and the final cells skipped because the tuning protocol found no
/// stable step size (from its decisions), with the counts the overview page states.
/// They are never left out silently: the overview counts them ("N of M finished, K
/// crashed, F failed, S skipped"), a page of their own lists them, and so do `summary.md`
/// and `index.html`.
struct UnfinishedCells {
    struct Entry {
        let key: String
        /// "failed", "crashed" or "skipped".
        let status: String
        let reason: String
    }

    let entries: [Entry]
    let finished: Int
    let crashed: Int
    let failed: Int
    let skipped: Int
    /// The cells of the grid: those planned to run (`GridManifest.cellCount`) and the skipped ones.
    let total: Int
    /// Cells of the grid with no result at all (a shard's folder, a run not yet resumed).
    var missing: Int { max(0, total - finished - crashed - failed - skipped) }

    /// `manifest` nil: the grid is the results (no cell planned beyond them).
    init(results: [CellResult], manifest: GridManifest?, tuning: [TuningDecision]?) {
        var entries = results.filter { $0.status != .ok }.map {
            Entry(key: $0.key, status: $0.status.rawValue, reason: $0.message ?? "")
        }
        let skippedEntries = (tuning ?? []).flatMap { d in d.skippedCells.map { Entry(key: $0, status: "skipped", reason: d.reason) } }
        entries += skippedEntries
        self.entries = entries
        finished = results.filter { $0.status == .ok }.count
        crashed = results.filter { $0.status == .crashed }.count
        failed = results.filter { $0.status == .failed }.count
        skipped = skippedEntries.count
        total = (manifest?.cellCount ?? results.count) + skipped
    }

    /// "12 of 14 finished, 1 crashed, 1 skipped" (failed and missing only when there are any).
    var countLine: String {
        "\(finished) of \(total) finished, \(crashed) crashed" + (failed > 0 ? ", \(failed) failed" : "") + ", \(skipped) skipped"
            + (missing > 0 ? ", \(missing) without a result" : "")
    }

    /// A cell for a Markdown table: `|` escaped, line breaks as spaces (`Markdown.escaped`).
    static func markdownCell(_ text: String) -> String { Markdown.escaped(text) }

    /// The report pages listing every entry (none when there is none): status, key, reason in
    /// aligned columns, the reason wrapped under itself (never cut), split over pages as needed.
    var pages: [Page] {
        guard !entries.isEmpty else { return [] }
        let width = entries.map(\.key.count).max()!
        let characters = TextCapacity.page.characters
        let indent = 9 + width + 2 <= characters - 40 ? 9 + width + 2 : 11
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        let table = TextBlock(header: [pad("status", 9) + pad("cell", width + 2) + "reason", ""], entries: entries.map {
            let reason = $0.reason.split(whereSeparator: \.isNewline).joined(separator: " ")
            return TextBlock.wrapped(pad($0.status, 9) + pad($0.key, width + 2) + reason, width: characters, indent: indent)
        })
        return Page.textPages(title: "Cells that did not finish", stem: "unfinished-cells",
                              blocks: [TextBlock(lines: [countLine]), table])
    }
}
