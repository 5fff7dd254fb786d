import Foundation
import Testing
@testable import Plotting

/// What makes a figure readable, at the level of its plan: series a reader can tell apart,
/// outliers that do not squeeze the rest, titles that wrap instead of being cut, and panels
/// that split into small multiples on shared axes.
@Suite struct ReadabilityTests {
    let metrics = RenderOptions().pdfMetrics
    let half = Rect(x0: 0, x1: 0.5, y0: 0, y1: 0.5)

    /// Twenty automatic series of markers and lines: no two share colour and marker (the
    /// first 64 cannot), and no two within a panel of eight share even a colour.
    @Test func noTwoSeriesShareAStyle() {
        let series = (0..<20).map { Series.lineMarkers("s\($0)", x: [1, 2], y: [Double($0), Double($0) + 1]) }
        let styles = PanelData(panel: Panel(series: series)).series.map(\.style)
        let pairs = styles.map { "\($0.color)|\($0.marker)" }
        #expect(Set(pairs).count == 20)
        for chunk in Panel.balancedChunks(series, maxPerChunk: Panel.maxSeriesPerPanel) {
            let colours = PanelData(panel: Panel(series: chunk)).series.map(\.style.color)
            #expect(Set(colours).count == chunk.count)
        }
    }

    /// 20 series by at most 8 → 7, 7, 6; the small multiples keep every series once, share
    /// both ranges, and are titled "(k/n)".
    @Test func manySeriesSplitIntoSmallMultiplesOnSharedAxes() throws {
        #expect(Panel.balancedChunks(Array(0..<20), maxPerChunk: 8).map(\.count) == [7, 7, 6])
        #expect(Panel.balancedChunks([Int](), maxPerChunk: 8).isEmpty)
        let series = (0..<20).map { k in Series.markers("s\(k)", x: [1, 10], y: [pow(10, Double(k % 5)), 2]) }
        let panel = Panel(title: "b² vs h", x: .log("h"), y: .log("b²"), series: series)
        let parts = panel.smallMultiples()
        #expect(parts.map(\.series.count) == [7, 7, 6])
        #expect(parts.flatMap(\.series).map(\.label) == series.map(\.label))
        #expect(parts.map(\.title) == ["b² vs h (1/3)", "b² vs h (2/3)", "b² vs h (3/3)"])
        let y = try #require(parts[0].y.range)
        #expect(parts.allSatisfy { $0.y.range == y && $0.x.range == parts[0].x.range })
        #expect(y.lowerBound <= 1 && y.upperBound >= 1e4)
        #expect(Panel(series: Array(series.prefix(8))).smallMultiples().count == 1)
    }

    /// One point at 10¹³ among values within three decades: the fitted log axis ends near the
    /// bulk, and the point is counted, marked on the top edge and named in the note.
    @Test func anOutlierOnALogAxisIsClippedAndCounted() {
        let y = [1e-3, 2e-3, 5e-3, 1e-2, 3e-2, 0.1, 0.2, 1e13]
        let panel = Panel(x: .log("h"), y: .log("b²"), series: [.markers("b²", x: y.indices.map { Double($0 + 1) }, y: y)])
        let plan = ChartPlan(panel: panel, data: PanelData(panel: panel), cell: half, metrics: metrics)
        #expect(plan.yWindow.upperBound < 4)
        #expect(plan.yWindow.lowerBound <= -3)
        #expect(plan.clipped.count == 1 && plan.clipped[0].above && plan.clipped[0].count == 1)
        #expect(plan.note?.contains("▲ 1 point above the axis") == true)
    }

    /// Data spread evenly over many decades is the bulk: nothing is clipped.
    @Test func evenlySpreadDecadesAreNotOutliers() {
        let y = (0..<9).map { pow(10, -Double($0)) }
        let panel = Panel(x: .log(), y: .log(), series: [.lineMarkers("b²", x: y.indices.map { Double($0 + 1) }, y: y)])
        let plan = ChartPlan(panel: panel, data: PanelData(panel: panel), cell: half, metrics: metrics)
        #expect(plan.clipped.isEmpty && plan.note == nil)
    }

    /// A line beyond the edge for a run of vertices draws one mark and counts every vertex.
    @Test func aLineBeyondTheEdgeGetsOneMarkPerRun() {
        var y = (0..<40).map { 1 + Double($0 % 3) }
        y[10...12] = [1e12, 1e12, 1e12]
        let panel = Panel(x: .log(), y: .log(), series: [.line("chain", x: y.indices.map { Double($0 + 1) }, y: y)])
        let plan = ChartPlan(panel: panel, data: PanelData(panel: panel), cell: half, metrics: metrics)
        #expect(plan.clipped.count == 1 && plan.clipped[0].count == 3)
        #expect(plan.note?.contains("▲ 3 points above") == true)
    }

    /// A title longer than its panel wraps onto two lines (every word kept) and the plot
    /// moves down to make room; a short one stays on one line.
    @Test func longTitlesWrap() {
        let long = "sgrld-monge-gamma h=0.0123 n=256 — no predicted law: h = 0.5 > 0.001: the law is the small-step limit"
        let series: [Series] = [.line("a", x: [0, 1], y: [0, 1])]
        let wrapped = ChartPlan(panel: Panel(title: long, series: series), data: PanelData(panel: Panel(series: series)),
                                cell: Rect(x0: 0, x1: 1, y0: 0, y1: 0.33), metrics: metrics)
        #expect(wrapped.titleLines.count == 2)
        #expect(wrapped.titleLines.joined(separator: " ") == TextMetrics.escape(long))
        let short = ChartPlan(panel: Panel(title: "sgld", series: series), data: PanelData(panel: Panel(series: series)),
                              cell: Rect(x0: 0, x1: 1, y0: 0, y1: 0.33), metrics: metrics)
        #expect(short.titleLines == ["sgld"])
        #expect(wrapped.viewport.y1 < short.viewport.y1)
        #expect(TextMetrics.wrap("a b c d e f", toWidth: 1.5, maxLines: 2).count == 2)
    }
}
