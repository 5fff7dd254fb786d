import CPLplot

/// Draws one page: starts a new page, the title, then every panel in its cell
/// (PLplot lock held, stream initialised).
enum PageDrawer {
    static func draw(_ page: Page, metrics: DeviceMetrics) {
        c_pladv(0)
        // PLplot resets the character height at every new page.
        c_plschr(metrics.emMM, 1)
        c_plsfci(PLplotSession.sansFont)
        let layout = PageLayout(page: page, metrics: metrics)
        if let center = layout.titleCenterY {
            c_plvpor(0, 1, 0, 1)
            c_plwind(0, 1, 0, 1)
            PL.color(ColorMap.foreground)
            PL.withFont(PLplotSession.boldFont) {
                PL.scale(PageLayout.titleScale)
                c_plptex(0.5, center, 1, 0, 0.5, TextMetrics.escape(page.title))
                PL.scale(1)
            }
        }
        for (panel, cell) in zip(page.panels, layout.cells) {
            switch panel.content {
            case .text(let lines):
                TextPanelDrawer.draw(title: panel.title, lines: lines, cell: cell, metrics: metrics)
            case .heatmap(let heatmap):
                HeatmapDrawer.draw(title: panel.title, heatmap: heatmap, cell: cell, metrics: metrics)
            case .chart:
                let plan = ChartPlan(panel: panel, data: PanelData(panel: panel), cell: cell, metrics: metrics)
                ChartDrawer.draw(panel, plan: plan, metrics: metrics)
            }
        }
    }
}
