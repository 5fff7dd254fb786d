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

    /// Writes the report into `directory` and returns the paths written. It reads
    /// `tuning.json` but never writes results, `grid.json` or `tuning.json`; report.pdf,
    /// summary.md and index.html are each replaced atomically (a temporary file renamed).
    /// `tuning` is the protocol's decisions (`GridRunner.Outcome.tuning`); nil reads them from
    /// `tuning.json` in `directory` when the grid has a tuning protocol.
    public static func write(results: [CellResult], manifest: GridManifest, tuning: [TuningDecision]? = nil,
                             to directory: String) throws -> [String] {
        let folder = URL(fileURLWithPath: directory)
        var tuning = tuning
        if tuning == nil && manifest.spec.tuning != nil {
            tuning = try TuningRecord.load(from: folder.appendingPathComponent("tuning.json").path).decisions
        }
        let figures = folder.appendingPathComponent("figures")
        do {
            try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError.file(path: figures.path, problem: "cannot create the figures folder")
        }
        let pages = pages(results: results, manifest: manifest, tuning: tuning)
        let renderer = PlotRenderer()
        let pdf = folder.appendingPathComponent("report.pdf")
        // The PDF is drawn beside its final name and renamed over it, so a reader never sees half of it.
        let drawing = folder.appendingPathComponent(".report.pdf.tmp-\(getpid())")
        do {
            _ = try renderer.renderPDF(pages, to: drawing)
            guard rename(drawing.path, pdf.path) == 0 else {
                throw WorkbenchError.file(path: pdf.path, problem: "cannot rename the drawn report over it")
            }
            _ = try renderer.renderPNGs(pages, into: figures)
        } catch let error as PlottingError {
            try? FileManager.default.removeItem(at: drawing)
            throw WorkbenchError.environment("cannot draw the report: \(error)")
        }
        // Figures of an earlier rendering that this one no longer has would pass for current.
        let current = Set(pages.map { $0.stem + ".png" })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: figures.path)) ?? []
        where name.hasSuffix(".png") && !current.contains(name) {
            try? FileManager.default.removeItem(at: figures.appendingPathComponent(name))
        }
        let tables = SummaryTables(results: results, manifest: manifest, tuning: tuning,
                                   tuningSettings: manifest.spec.tuning.map { ReportTuning.settings($0, spec: manifest.spec) })
        let summary = folder.appendingPathComponent("summary.md"), html = folder.appendingPathComponent("index.html")
        for (url, text) in [(summary, SummaryMarkdown.render(tables, manifest: manifest)),
                            (html, ReportHTML.render(tables, pages: pages, manifest: manifest))] {
            try AtomicFile.write(text: text, to: url.path, describing: "the report file")
        }
        return [pdf.path] + pages.map { figures.appendingPathComponent($0.stem + ".png").path } + [summary.path, html.path]
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
