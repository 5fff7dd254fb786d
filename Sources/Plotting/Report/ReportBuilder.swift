import Foundation
import Workbench

/// Turns a grid's results into its report: `report.pdf` (one page per figure),
/// `figures/<page>.png` (the same figures), `summary.md` (the results tables) and
/// `index.html` (figures and tables for a browser).
/// Rendering is deterministic given the results, so `bench report` reproduces `bench grid`'s
/// report from `results.jsonl` alone.
public enum ReportBuilder {
    /// The pages of the report, in order: the overview (with the count of cells finished,
    /// crashed, failed and skipped, and every flagged configuration), the cells that did not
    /// finish (when any), then the figures and the rankings (healthy results only, `ReportRankings`),
    /// the verdicts that change with gradient noise and, for the `bnn-smile-*` targets, the
    /// SMILE paper's UCI table (`UCIBenchmarkTable`).
    ///
    /// With a tuning protocol, the "Tuning protocol" pages follow the overview, and every other
    /// page shows the final-phase cells only (the sweep's cells are on the tuning pages).
    public static func pages(results: [CellResult], manifest: GridManifest, tuning: [TuningDecision]? = nil) -> [Page] {
        let groups = SeedGroup.grouping(results.filter { $0.phase != .tune })
        let unfinished = UnfinishedCells(results: results, manifest: manifest, tuning: tuning)
        let health = ReportHealth(results: results, tuning: tuning)
        return ReportPages.overview(manifest, results: results, unfinished: unfinished, health: health) + unfinished.pages
            + ReportTuning.pages(tuning ?? [], spec: manifest.spec) + ReportOverview.heatmaps(results: results, health: health)
            + ReportRankings.pages(groups, results: results, health: health)
            + NoiseVerdicts(results: results).pages() + UCIBenchmarkTable(results: results).pages(spec: manifest.spec)
            + ReportPages.stationaryLaws(groups) + ReportPages.marginals(groups) + ReportPages.traces(groups)
            + ReportPages.biasVersusStepSize(groups) + ReportPages.essPerGradient(groups) + ReportPages.predictive(groups)
            + ReportPages.biasVersusGradients(groups, manifest: manifest) + ChainBiasPages.pages(groups, spec: manifest.spec)
    }

    /// Writes the report into `folder` and returns the paths written. It reads `tuning.json`
    /// but never writes results, `grid.json` or `tuning.json`. The report is rendered into a
    /// staging folder inside `folder`, every file checked whole and flushed
    /// (`RenderedFileCheck`), and only then installed (`ResultsFolder.installReport`): a
    /// failed or killed rendering leaves the previous report as it was (the staging folder of
    /// a killed one is removed when the folder is next opened). `tuning` is the protocol's
    /// decisions (`GridRunner.Outcome.tuning`); nil reads them from `tuning.json` when the
    /// grid has a tuning protocol.
    public static func write(results: [CellResult], manifest: GridManifest, tuning: [TuningDecision]? = nil,
                             to folder: ResultsFolder) throws -> [String] {
        var tuning = tuning
        if tuning == nil && manifest.spec.tuning != nil {
            tuning = try TuningRecord.load(from: folder.path(.tuning)).decisions
        }
        let pages = pages(results: results, manifest: manifest, tuning: tuning)
        let tables = SummaryTables(results: results, manifest: manifest, tuning: tuning,
                                   tuningSettings: manifest.spec.tuning.map { ReportTuning.settings($0, spec: manifest.spec) })
        let staging = try folder.makeReportStaging()
        do {
            try render(pages, tables: tables, manifest: manifest, into: staging, shownIn: folder.path)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return try folder.installReport(from: staging)
    }

    /// Renders the report's files into the empty folder `staging` and checks each whole;
    /// errors name the file by its final place in `shownIn`.
    private static func render(_ pages: [Page], tables: SummaryTables, manifest: GridManifest, into staging: String,
                               shownIn folder: String) throws {
        let renderer = PlotRenderer()
        let figures = staging + "/" + ResultsFolder.Entry.figures.rawValue
        do {
            _ = try renderer.renderPDF(pages, to: URL(fileURLWithPath: staging + "/" + ResultsFolder.Entry.report.rawValue))
            _ = try renderer.renderPNGs(pages, into: URL(fileURLWithPath: figures))
        } catch let error as PlottingError {
            throw WorkbenchError.environment("cannot draw the report: \(error)")
        }
        try RenderedFileCheck.check(staging + "/" + ResultsFolder.Entry.report.rawValue, shownAs: ResultsFolder.path(.report, in: folder))
        for page in pages {
            let name = ResultsFolder.Entry.figures.rawValue + "/" + page.stem + ".png"
            try RenderedFileCheck.check(staging + "/" + name, shownAs: folder + "/" + name)
        }
        for (entry, text) in [(ResultsFolder.Entry.summary, SummaryMarkdown.render(tables, manifest: manifest)),
                              (.html, ReportHTML.render(tables, pages: pages, manifest: manifest))] {
            try AtomicFile.write(text: text, to: staging + "/" + entry.rawValue, describing: "the report's \(entry.rawValue)")
        }
    }

    /// Checks that PLplot can write the report's formats (the pdfcairo and pngcairo devices of
    /// Debian's plplot-driver-cairo), so a grid fails before it runs rather than after.
    public static func checkDevices() throws {
        let available = PlotRenderer.availableDevices()
        for device in ["pdfcairo", "pngcairo"] where !available.contains(device) {
            throw WorkbenchError.environment("cannot draw the report: \(PlottingError.missingDriver(device: device))")
        }
    }

    /// PLplot's version string, for provenance.
    public static var plplotVersion: String { PlotRenderer.plplotVersion }
}
