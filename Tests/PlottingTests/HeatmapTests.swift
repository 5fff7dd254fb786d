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
}
