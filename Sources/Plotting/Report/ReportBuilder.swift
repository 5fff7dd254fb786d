import Foundation
import Workbench

/// Turns a grid's results into its report: `report.pdf` (one page per figure),
/// `figures/<page>.png` (the same figures), and `summary.md` (the results tables).
/// Rendering is deterministic given the results, so `bench report` reproduces `bench grid`'s
/// report from `results.jsonl` alone.
public enum ReportBuilder {
    /// The pages of the report, in order.
    public static func pages(results: [CellResult], manifest: GridManifest) -> [Page] {
        let groups = SeedGroup.grouping(results)
        return [ReportPages.overview(manifest, results: results)]
            + ReportPages.marginals(groups)
            + [ReportPages.biasVersusStepSize(groups), ReportPages.essPerGradient(groups)]
    }

    /// Writes the report into `directory` and returns the paths written.
    public static func write(results: [CellResult], manifest: GridManifest, to directory: String) throws -> [String] {
        let folder = URL(fileURLWithPath: directory)
        let figures = folder.appendingPathComponent("figures")
        do {
            try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError.file(path: figures.path, problem: "cannot create the figures folder")
        }
        let pages = pages(results: results, manifest: manifest)
        let renderer = PlotRenderer()
        let pdf = folder.appendingPathComponent("report.pdf")
        do {
            _ = try renderer.renderPDF(pages, to: pdf)
            _ = try renderer.renderPNGs(pages, into: figures)
        } catch let error as PlottingError {
            throw WorkbenchError.environment("cannot draw the report: \(error)")
        }
        let summary = folder.appendingPathComponent("summary.md")
        let text = SummaryMarkdown.render(SeedGroup.grouping(results), manifest: manifest)
        guard FileManager.default.createFile(atPath: summary.path, contents: Data(text.utf8)) else {
            throw WorkbenchError.file(path: summary.path, problem: "cannot write the summary")
        }
        return [pdf.path] + pages.map { figures.appendingPathComponent($0.stem + ".png").path } + [summary.path]
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
