import Foundation
import Testing
import Plotting

/// Bad data and bad output locations give drawings or typed errors, never crashes.
@Suite struct RobustnessTests {
    @Test func panelWithOnlyNaNStillRenders() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = Page(title: "Nothing finite", stem: "nan", panels: [
            Panel(title: "NaN only", x: Axis("x"), y: Axis("y"),
                  series: [.line("nan", x: [.nan, .nan], y: [.nan, .infinity]),
                           .errorBars("nan bars", x: [.nan], y: [1], yLow: [.nan], yHigh: [.nan])]),
            Panel(title: "Empty", series: []),
        ])
        let file = directory.appendingPathComponent("nan.pdf")
        let report = try PlotRenderer().renderPDF([page], to: file)
        #expect(try TestSupport.isPDF(file))
        #expect(try TestSupport.pdfInfo(file).pages == 1)
        #expect(report.omissions.map(\.nonFinite) == [2, 1])

        let png = try PlotRenderer().renderPNGs([page], into: directory)
        #expect(try TestSupport.isPNG(png.files[0]))
    }

    @Test func awkwardDataRendersWithoutTrapping() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = Page(title: "Awkward", stem: "awkward", panels: [
            Panel(title: "all equal", series: [.lineMarkers("c", x: [2, 2, 2], y: [7, 7, 7])]),
            Panel(title: "log with ≤ 0", x: .log("x"), y: .log("y"),
                  series: [.line("l", x: [-1, 0, 1, 10, 100], y: [1, 2, 0, -5, 1e3])]),
            Panel(title: "explicit range, huge values", x: Axis("x", range: 0...1), y: Axis("y", range: 1...1),
                  series: [.line("w", x: [-1e300, 0.5, 1e300], y: [1e300, 0, -1e300])]),
            Panel(title: "unequal lengths", series: [
                .markers("m", x: [1, 2, 3], y: [1]),
                .histogram("h", edges: [0, 1], densities: [1, 2, 3]),
                .groupedBars(categories: ["a"], groups: [BarGroup("g", values: [1, 2], yLow: [], yHigh: [5, 6])]),
            ]),
            Panel(title: "bars on log y", y: .log("v"), series: [.bars("b", categories: ["x", "y"], values: [0, 10])]),
            Panel.text(title: "huge text", lines: (0..<500).map { String(repeating: "#", count: $0) }),
        ], rows: 2, columns: 3)
        let file = directory.appendingPathComponent("awkward.pdf")
        let report = try PlotRenderer().renderPDF([page], to: file)
        #expect(try TestSupport.pdfInfo(file).pages == 1)
        let logPanel = report.omissions.first { $0.panelTitle == "log with ≤ 0" }
        #expect(logPanel?.nonPositiveOnLogAxis == 4)  // only (100, 1000) survives
        #expect(report.omissions.first { $0.panelTitle == "bars on log y" }?.nonPositiveOnLogAxis == 1)
    }

    @Test func unwritableOutputPathIsNamedInTheError() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A regular file where a directory should be: unwritable even for root.
        let blocker = directory.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let file = blocker.appendingPathComponent("sub/report.pdf")

        let error = #expect(throws: PlottingError.self) {
            try PlotRenderer().renderPDF(SamplePages.report, to: file)
        }
        guard case .cannotWriteOutput(let path, _)? = error else {
            Issue.record("expected cannotWriteOutput, got \(String(describing: error))")
            return
        }
        #expect(path == file.standardizedFileURL.path)
        #expect(error?.description.contains(file.standardizedFileURL.path) == true)

        let pngError = #expect(throws: PlottingError.self) {
            try PlotRenderer().renderPNGs(SamplePages.report, into: blocker)
        }
        #expect(pngError?.description.contains(blocker.standardizedFileURL.path) == true)
        #expect(!FileManager.default.fileExists(atPath: blocker.appendingPathComponent("sub").path))
    }

    @Test func outputThatIsADirectoryIsRejected() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: PlottingError.self) {
            try PlotRenderer().renderPDF(SamplePages.report, to: directory)
        }
    }

    @Test func emptyPageListIsAnError() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: PlottingError.emptyPageList) {
            try PlotRenderer().renderPDF([], to: directory.appendingPathComponent("x.pdf"))
        }
        #expect(throws: PlottingError.emptyPageList) {
            try PlotRenderer().renderPNGs([], into: directory)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("x.pdf").path))
    }

    @Test func badStemsAndGridsAreRejectedBeforeDrawing() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let panel = Panel(title: "p")
        for stems in [["a", "a"], ["../escape"], [""], [".."]] {
            let pages = stems.map { Page(title: "t", stem: $0, panels: [panel]) }
            #expect(throws: PlottingError.self) { try PlotRenderer().renderPNGs(pages, into: directory) }
        }
        let crowded = Page(title: "t", stem: "c", panels: [panel, panel, panel], rows: 1, columns: 2)
        let error = #expect(throws: PlottingError.self) {
            try PlotRenderer().renderPDF([crowded], to: directory.appendingPathComponent("c.pdf"))
        }
        #expect(error?.description.contains("1×2") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func missingDriverMessageNamesTheDebianPackage() {
        let message = PlottingError.missingDriver(device: "pdfcairo").description
        #expect(message.contains("plplot-driver-cairo"))
        #expect(message.contains("pdfcairo"))
        #expect(message.contains("cairo driver is missing"))
    }
}
