import Testing
@testable import Plotting

/// Page and panel layout, legend placement and text helpers.
@Suite struct LayoutTests {
    let metrics = RenderOptions().pdfMetrics

    @Test func automaticGridsAreLandscapeFriendly() {
        #expect(Page.automaticGrid(count: 1) == (1, 1))
        #expect(Page.automaticGrid(count: 3) == (1, 3))
        #expect(Page.automaticGrid(count: 4) == (2, 2))
        #expect(Page.automaticGrid(count: 5) == (2, 3))
        #expect(Page.automaticGrid(count: 9) == (3, 3))
    }

    @Test func cellsStayOnThePageAndDoNotOverlap() {
        let page = Page(title: "t", stem: "s", panels: Array(repeating: Panel(), count: 4), rows: 2, columns: 2)
        let cells = PageLayout(page: page, metrics: metrics).cells
        #expect(cells.count == 4)
        for cell in cells { #expect(cell.x0 >= 0 && cell.x1 <= 1 && cell.y0 >= 0 && cell.y1 <= 1) }
        #expect(cells[0].x1 < cells[1].x0)
        #expect(cells[2].y1 < cells[0].y0)
    }

    @Test func automaticLegendDoesNotCoverTheData() {
        let cell = Rect(x0: 0.05, x1: 0.95, y0: 0.05, y1: 0.9)
        for panel in [SamplePages.logLogErrorBars, SamplePages.histogramVersusDensity, SamplePages.traces, SamplePages.groupedBars] {
            let data = PanelData(panel: panel)
            let plan = ChartPlan(panel: panel, data: data, cell: cell, metrics: metrics)
            guard let legend = plan.legend else { Issue.record("no legend for \(panel.title)"); continue }
            guard case .inside(let corner) = legend.placement else { continue }  // outside never covers data
            let widthEm = plan.viewport.width * metrics.pageWidthMM / metrics.emMM
            let heightEm = plan.viewport.height * metrics.pageHeightMM / metrics.emMM
            let samples = Occupancy.samples(data, x: plan.xWindow, y: plan.yWindow)
            let covered = Occupancy.count(samples, corner: corner, width: legend.widthEm / widthEm, height: legend.heightEm / heightEm,
                                          insetX: LegendPlan.inset / widthEm, insetY: LegendPlan.inset / heightEm)
            #expect(covered == 0, "legend covers data in \(panel.title)")
        }
    }

    @Test func noDataPanelHasNoLegendButANote() {
        let panel = SamplePages.allNaN
        let plan = ChartPlan(panel: panel, data: PanelData(panel: panel), cell: Rect(x0: 0, x1: 0.5, y0: 0, y1: 0.5), metrics: metrics)
        #expect(!plan.hasData)
        #expect(plan.legend == nil)
        #expect(plan.note?.contains("3 points hidden") == true)
        #expect(plan.xWindow.upperBound > plan.xWindow.lowerBound)
    }

    /// A legend of 40 entries under a quarter-page panel would leave no plot: it is dropped and
    /// the note says so, so the panel still draws its data.
    @Test func aLegendWithoutRoomIsDroppedAndSaid() {
        let series = (0..<40).map { Series.line("configuration number \($0)", x: [1, 2], y: [1, Double($0)]) }
        let panel = Panel(title: "crowded", x: Axis("x"), y: Axis("y"), series: series, legend: .below)
        let plan = ChartPlan(panel: panel, data: PanelData(panel: panel), cell: Rect(x0: 0, x1: 0.5, y0: 0, y1: 0.5), metrics: metrics)
        #expect(plan.legend == nil)
        #expect(plan.note?.contains("legend of 40 left out") == true)
        #expect(plan.viewport.height * metrics.pageHeightMM / metrics.emMM >= ChartPlan.Spacing.minimumPlotEm)
        // A legend that fits is kept.
        let few = Panel(title: "few", x: Axis("x"), y: Axis("y"), series: Array(series.prefix(3)), legend: .below)
        #expect(ChartPlan(panel: few, data: PanelData(panel: few), cell: Rect(x0: 0, x1: 0.5, y0: 0, y1: 0.5), metrics: metrics).legend != nil)
    }

    @Test func textIsEscapedAndShortened() {
        #expect(TextMetrics.escape("a#u b") == "a##u b")
        let long = String(repeating: "w", count: 200)
        let short = TextMetrics.truncate(long, toWidth: 10)
        #expect(short.hasSuffix("…") && TextMetrics.width(short) <= 10)
        let fitted = TextPanelDrawer.fit(Array(repeating: long, count: 300), widthEm: 40, heightEm: 30)
        #expect(fitted.lines.last?.contains("more lines") == true)
        #expect(fitted.scale >= TextPanelDrawer.minimumScale)
    }

    @Test func textTablePadsColumns() {
        let lines = TextTable(headers: ["name", "n"], rows: [["sgld", "12"], ["sghmc", "3"]], rightAligned: [1]).lines
        #expect(lines == ["name    n", "-----  --", "sgld   12", "sghmc   3"])
    }
}
