import CPLplot

/// Draws one chart panel from its ``ChartPlan`` (PLplot lock held, page started).
enum ChartDrawer {
    typealias Spacing = ChartPlan.Spacing

    static func draw(_ panel: Panel, plan: ChartPlan, metrics: DeviceMetrics) {
        let vp = plan.viewport
        guard vp.width > 0.01, vp.height > 0.01 else { return }
        c_plvpor(vp.x0, vp.x1, vp.y0, vp.y1)
        c_plwind(plan.xWindow.lowerBound, plan.xWindow.upperBound, plan.yWindow.lowerBound, plan.yWindow.upperBound)
        let xLog = plan.xTicks?.isLog == true
        let yLog = plan.yTicks.isLog
        let l = { (log: Bool) in log ? "l" : "" }

        if plan.hasData {
            // Light grid under the data.
            PL.color(ColorMap.grid)
            PL.width(metrics.lineWidth(0.5))
            let xGrid = plan.xTicks == nil ? "" : "g" + l(xLog)
            c_plbox(xGrid, plan.xTicks?.step ?? 0, 0, "g" + l(yLog), plan.yTicks.step, 0)

            let drawer = SeriesDrawer(
                x: plan.xWindow, y: plan.yWindow, metrics: metrics,
                viewportWidthEm: vp.width * metrics.pageWidthMM / metrics.emMM)
            for series in plan.data.series { drawer.draw(series, yIsLog: yLog) }
        }

        // Frame and ticks in black on top.
        PL.color(ColorMap.foreground)
        PL.width(metrics.lineWidth(0.8))
        if plan.hasData {
            let xOptions = plan.xTicks.map { "bcts" + l($0.isLog) } ?? "bc"
            c_plbox(xOptions, plan.xTicks?.step ?? 0, plan.xTicks?.minor ?? 0,
                    "bcts" + l(yLog), plan.yTicks.step, plan.yTicks.minor)
            tickLabels(plan)
        } else {
            c_plbox("bc", 0, 0, "bc", 0, 0)
            PL.color(ColorMap.noData)
            PL.scale(1.5)
            c_plptex(mid(plan.xWindow), mid(plan.yWindow), 1, 0, 0.5, "no data")
            PL.scale(1)
        }

        PL.color(ColorMap.foreground)
        if !plan.xLabel.isEmpty {
            let extra = plan.categoriesVertical
                ? (plan.categoryLabels.map { TextMetrics.width($0) * plan.categoryScale }.max() ?? 0) : 0
            c_plmtex("b", Spacing.xAxisLabel + extra, 0.5, 0.5, plan.xLabel)
        }
        if !plan.yLabel.isEmpty {
            let labelWidth = plan.hasData ? plan.yTicks.maxLabelWidth : 0
            let disp = Spacing.yTickLabelGap + labelWidth + Spacing.yAxisLabelGap + 0.5
            c_plmtex("l", disp, 0.5, 0.5, plan.yLabel)
        }
        clippedMarks(plan, metrics: metrics)
        titleAndNote(plan)
        if let legend = plan.legend, plan.hasData {
            LegendDrawer.draw(legend, viewport: vp, belowOffset: plan.belowLegendOffset, metrics: metrics)
        }
    }

    /// ▲ on the top edge and ▼ on the bottom edge at the x of each point outside the y window,
    /// in its series' colour.
    private static func clippedMarks(_ plan: ChartPlan, metrics: DeviceMetrics) {
        guard !plan.clipped.isEmpty else { return }
        PL.width(metrics.lineWidth(1))
        PL.scale(SeriesDrawer.markerScale)
        for mark in plan.clipped {
            PL.color(mark.color)
            let y = mark.above ? plan.yWindow.upperBound : plan.yWindow.lowerBound
            PL.glyphs([Point(x: mark.x, y: y)], mark.above ? "▲" : "▼")
        }
        PL.scale(1)
    }

    private static func mid(_ r: ClosedRange<Double>) -> Double { (r.lowerBound + r.upperBound) / 2 }

    private static func fraction(_ value: Double, _ r: ClosedRange<Double>) -> Double {
        (value - r.lowerBound) / (r.upperBound - r.lowerBound)
    }

    private static func tickLabels(_ plan: ChartPlan) {
        PL.color(ColorMap.foreground)
        if let xTicks = plan.xTicks {
            for label in xTicks.labels {
                c_plmtex("b", Spacing.xTickLabel, fraction(label.position, plan.xWindow), 0.5, label.text)
            }
        } else {
            PL.scale(plan.categoryScale)
            for (index, label) in plan.categoryLabels.enumerated() {
                let position = fraction(Double(index), plan.xWindow)
                if plan.categoriesVertical {
                    // Written upwards, ending just below the frame.
                    c_plmtex("bv", 0.6 / plan.categoryScale, position, 1, TextMetrics.escape(label))
                } else {
                    c_plmtex("b", Spacing.xTickLabel / plan.categoryScale, position, 0.5, TextMetrics.escape(label))
                }
            }
            PL.scale(1)
        }
        for label in plan.yTicks.labels {
            c_plmtex("lv", Spacing.yTickLabelGap, fraction(label.position, plan.yWindow), 1, label.text)
        }
    }

    /// Title left-aligned above the frame; the drop note right-aligned, in grey.
    private static func titleAndNote(_ plan: ChartPlan) {
        let titleDisp = Spacing.titleLine + (plan.noteOnOwnLine ? 1.1 : 0)
        PL.color(ColorMap.foreground)
        PL.scale(Spacing.titleScale)
        for (k, line) in plan.titleLines.enumerated() {
            let disp = titleDisp + Double(plan.titleLines.count - 1 - k) * Spacing.titleLineStep
            c_plmtex("t", disp / Spacing.titleScale, 0, 0, line)
        }
        PL.scale(1)
        if let note = plan.note {
            PL.color(ColorMap.secondaryText)
            PL.scale(Spacing.noteScale)
            c_plmtex("t", Spacing.titleLine / Spacing.noteScale, 1, 1, note)
            PL.scale(1)
        }
    }
}
