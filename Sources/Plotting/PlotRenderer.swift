import Foundation

/// Renders ``Page``s with PLplot's cairo drivers: one multi-page PDF (`pdfcairo`) or one
/// PNG per page (`pngcairo`).
///
/// Contract:
/// - Safe to call from any thread or task: all PLplot work is serialised by a
///   process-wide lock (calls block while another render is running).
/// - Before PLplot is initialised, the device is looked up with `plgDevs` and the output
///   location is checked; failures throw ``PlottingError`` and write nothing. PLplot never
///   prompts on standard input and writes nothing to standard output.
/// - Bad data (NaN/inf, non-positive values on log axes, unequal array lengths, empty
///   series) never traps; dropped points are listed in ``RenderReport/omissions`` and
///   noted on the panel.
public struct PlotRenderer: Sendable {
    /// Page sizes and font scale.
    public var options: RenderOptions

    /// A renderer; it holds no PLplot state, so any number may exist.
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Writes all `pages` into one PDF at `file` (created or overwritten; missing parent
    /// directories are created), one PDF page per ``Page``.
    @discardableResult
    public func renderPDF(_ pages: [Page], to file: URL) throws -> RenderReport {
        guard !pages.isEmpty else { throw PlottingError.emptyPageList }
        try Self.validateGrids(pages)
        let metrics = options.pdfMetrics
        try PLplotLock.run {
            try PLplotSession.requireDevice("pdfcairo")
            let path = try OutputChecks.prepareFile(file)
            try PLplotSession.withStream(device: "pdfcairo", file: path, metrics: metrics) {
                for page in pages { PageDrawer.draw(page, metrics: metrics) }
            }
        }
        return RenderReport(files: [file.standardizedFileURL], omissions: RenderReport.omissions(in: pages))
    }

    /// Writes one PNG per page into `directory` (created if missing), named
    /// `page.stem + ".png"`; existing files of those names are overwritten. Stems must be
    /// valid file names and unique.
    @discardableResult
    public func renderPNGs(_ pages: [Page], into directory: URL) throws -> RenderReport {
        guard !pages.isEmpty else { throw PlottingError.emptyPageList }
        try Self.validateGrids(pages)
        try Self.validateStems(pages)
        let metrics = options.pngMetrics
        let files = pages.map { directory.appendingPathComponent($0.stem + ".png").standardizedFileURL }
        try PLplotLock.run {
            try PLplotSession.requireDevice("pngcairo")
            try OutputChecks.prepareDirectory(directory)
            // Check every file before drawing any, so a failure leaves no partial set.
            let paths = try files.map { try OutputChecks.prepareFile($0) }
            for (page, path) in zip(pages, paths) {
                try PLplotSession.withStream(device: "pngcairo", file: path, metrics: metrics) {
                    PageDrawer.draw(page, metrics: metrics)
                }
            }
        }
        return RenderReport(files: files, omissions: RenderReport.omissions(in: pages))
    }

    /// Names of the output devices this PLplot installation offers (e.g. "pdfcairo").
    public static func availableDevices() -> [String] {
        PLplotLock.run { PLplotSession.deviceNames() }
    }

    /// PLplot's version string (e.g. "5.15.0"), read under the PLplot lock.
    public static var plplotVersion: String {
        PLplotLock.run { PLplotSession.version() }
    }

    static func validateGrids(_ pages: [Page]) throws {
        for page in pages {
            guard page.rows >= 1, page.columns >= 1 else {
                throw PlottingError.invalidPage(stem: page.stem, reason: "grid \(page.rows)×\(page.columns) has no cells")
            }
            guard page.rows <= 20, page.columns <= 20 else {
                throw PlottingError.invalidPage(stem: page.stem, reason: "grid \(page.rows)×\(page.columns) is too large (at most 20×20)")
            }
            guard page.panels.count <= page.rows * page.columns else {
                throw PlottingError.invalidPage(
                    stem: page.stem, reason: "\(page.panels.count) panels do not fit a \(page.rows)×\(page.columns) grid")
            }
        }
    }

    static func validateStems(_ pages: [Page]) throws {
        var seen: Set<String> = []
        for page in pages {
            let stem = page.stem
            guard !stem.isEmpty, stem != ".", stem != "..", !stem.contains("/"), !stem.contains("\0") else {
                throw PlottingError.invalidPage(stem: stem, reason: "the file stem must be a plain, non-empty file name")
            }
            guard seen.insert(stem).inserted else {
                throw PlottingError.invalidPage(stem: stem, reason: "two pages share this file stem")
            }
        }
    }
}
