import Foundation
import Testing
@testable import Plotting

@Suite struct HeatmapTests {
    /// Colour positions run from worst (0) to best (1) on the chosen scale; undefined and,
    /// on a log scale, non-positive values have none.
    @Test func fractionsMapWorstToBest() {
        let cells: [[Heatmap.Cell]] = [[.init(value: 1, text: ""), .init(value: 100, text: "")],
                                       [.init(value: 10, text: ""), .init(value: nil, text: "—")],
                                       [.init(value: 0, text: ""), .init(value: .nan, text: "")]]
        let higher = Heatmap(rowLabels: ["a", "b", "c"], columnLabels: ["x", "y"], cells: cells, higherIsBetter: true, logScale: true)
        #expect(higher.fractions() == [[0, 1], [0.5, nil], [nil, nil]])
        let lower = Heatmap(rowLabels: ["a", "b", "c"], columnLabels: ["x", "y"], cells: cells, higherIsBetter: false, logScale: false)
        let f = lower.fractions()
        #expect(f[0][1] == 0 && f[2][0] == 1 && f[1][1] == nil)
    }

    @Test func heatmapPagesRenderToPDFAndPNG() throws {
        let folder = try TestSupport.temporaryDirectory()
        var cells: [[Heatmap.Cell]] = []
        for r in 0..<3 {
            var row: [Heatmap.Cell] = []
            for c in 0..<4 {
                let value: Double? = (r == 1 && c == 2) ? nil : Double(r * 4 + c + 1)
                row.append(Heatmap.Cell(value: value, text: "\(r),\(c)\nh=0.1"))
            }
            cells.append(row)
        }
        let map = Heatmap(rowLabels: ["sgld", "psgld", "a-long-sampler-name"], columnLabels: ["t1", "t2", "gaussian-illcond", "t4"],
                          cells: cells, higherIsBetter: true, logScale: true)
        let page = Page(title: "heatmaps", stem: "heatmaps", panels: [.heatmap(title: "ESS", map), .heatmap(map)])
        try PlotRenderer().renderPDF([page], to: folder.appendingPathComponent("h.pdf"))
        try PlotRenderer().renderPNGs([page], into: folder)
        #expect(try TestSupport.isPDF(folder.appendingPathComponent("h.pdf")))
        #expect(try TestSupport.isPNG(folder.appendingPathComponent("heatmaps.png")))
        #expect(try TestSupport.fileSize(folder.appendingPathComponent("heatmaps.png")) > 10_000)
    }

    /// On a log scale the colours span at least a decade: two near-equal values (0.0393 and
    /// 0.0354, 0.045 decades apart) are near-equal colours, not the two ends of the bar.
    @Test func nearEqualValuesGetNearEqualColours() throws {
        let map = Heatmap(rowLabels: ["a", "b"], columnLabels: ["x"],
                          cells: [[.init(value: 0.0393, text: "")], [.init(value: 0.0354, text: "")]],
                          higherIsBetter: false, logScale: true, unit: "b²")
        let f = map.fractions()
        let a = try #require(f[0][0]), b = try #require(f[1][0])
        #expect(abs(a - b) < 0.05 && abs(a - b) > 0.04)
        #expect(a < b)  // lower is better: the smaller value is brighter
    }

    /// A rate on a fixed 0–100 % range: 0 % is the best end and 100 % the worst, whatever
    /// else is in the grid; the colour bar carries the unit, ticks from 0 to 100 with 0 at the
    /// better (top) end.
    @Test func ratesUseAFixedRangeAndTheBarSaysWhichEndIsBetter() throws {
        let map = Heatmap(rowLabels: ["a", "b"], columnLabels: ["x"],
                          cells: [[.init(value: 10, text: "")], [.init(value: 15, text: "")]],
                          higherIsBetter: false, logScale: false, unit: "% of chains diverged", range: .fixed(0...100))
        let f = map.fractions()
        let ten = try #require(f[0][0]), fifteen = try #require(f[1][0])
        #expect(abs(ten - 0.9) < 1e-12 && abs(fifteen - 0.85) < 1e-12)
        let bar = try #require(map.colourBar)
        #expect(bar.label == "% of chains diverged")
        #expect(bar.ticks.first { $0.text == "0" }?.position == 1)
        #expect(bar.ticks.first { $0.text == "100" }?.position == 0)
        let log = Heatmap(rowLabels: ["a"], columnLabels: ["x"], cells: [[.init(value: 0.01, text: "")]],
                          higherIsBetter: true, logScale: true, unit: "ESS per gradient evaluation")
        #expect(log.colourBar?.label == "ESS per gradient evaluation (log scale)")
    }

    /// The key always explains grey and failed cells, and warn cells when there are any.
    @Test func theKeyExplainsGreyFailedAndWarnCells() {
        var cells: [[Heatmap.Cell]] = [[.init(value: 1, text: "1", mark: .fail), .init(value: nil, text: "—")]]
        let plain = Heatmap(rowLabels: ["a"], columnLabels: ["x", "y"], cells: cells, higherIsBetter: true, logScale: false)
        #expect(plain.keyEntries == [nil, .fail])
        cells[0][1].mark = .warn
        let warned = Heatmap(rowLabels: ["a"], columnLabels: ["x", "y"], cells: cells, higherIsBetter: true, logScale: false)
        #expect(warned.keyEntries == [nil, .fail, .warn])
        #expect(HeatmapDrawer.keyText(nil) == "no value" && HeatmapDrawer.keyText(.fail) == "failed: not a result")
    }
}
