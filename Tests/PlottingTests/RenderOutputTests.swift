import Foundation
import Testing
import Plotting

/// End-to-end: the sample report becomes a valid multi-page PDF and one PNG per page.
@Suite struct RenderOutputTests {
    @Test func pdfHasOneLandscapePagePerPage() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("report.pdf")
        let pages = SamplePages.report
        let report = try PlotRenderer().renderPDF(pages, to: file)

        #expect(report.files == [file.standardizedFileURL])
        #expect(try TestSupport.isPDF(file))
        let info = try TestSupport.pdfInfo(file)
        #expect(info.pages == pages.count)
        #expect(info.pageSize?.hasPrefix("792 x 612 pts") == true)
    }

    @Test func onePNGPerPageNamedByStem() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let figures = directory.appendingPathComponent("figures/nested")  // created by the renderer
        let pages = SamplePages.report
        let report = try PlotRenderer().renderPNGs(pages, into: figures)

        #expect(report.files.map(\.lastPathComponent) == pages.map { $0.stem + ".png" })
        for file in report.files {
            #expect(FileManager.default.fileExists(atPath: file.path))
            #expect(try TestSupport.isPNG(file), "\(file.lastPathComponent) lacks the PNG signature")
            #expect(try TestSupport.fileSize(file) > 10_000, "\(file.lastPathComponent) is suspiciously small")
        }
    }

    @Test func reportListsDroppedPoints() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try PlotRenderer().renderPDF(SamplePages.report, to: directory.appendingPathComponent("r.pdf"))
        let overview = report.omissions.filter { $0.pageStem == "04-overview" }
        #expect(overview.map(\.seriesLabel) == ["observed", "broken"])
        #expect(overview.first?.nonFinite == 2)
        #expect(overview.last?.nonFinite == 2)
        #expect(overview.last?.nonPositiveOnLogAxis == 1)
    }

    @Test func cairoDevicesAreAvailable() {
        let devices = PlotRenderer.availableDevices()
        #expect(devices.contains("pdfcairo"))
        #expect(devices.contains("pngcairo"))
        #expect(PlotRenderer.plplotVersion.hasPrefix("5."))
    }
}
