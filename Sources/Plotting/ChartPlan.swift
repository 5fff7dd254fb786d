import Foundation

/// Everything needed to draw one chart panel: viewport, axis windows, ticks, texts and
/// legend. Pure computation (no PLplot calls), so it can be tested.
///
/// All lengths in "em" are PLplot character heights of the base font.
struct ChartPlan: Sendable {
    /// Text distances from the frame (em) and text scales.
    enum Spacing {
        static let xTickLabel = 1.15
        static let xAxisLabel = 2.75
        static let yTickLabelGap = 0.55
        static let yAxisLabelGap = 1.25
        static let titleLine = 0.85
        static let noteScale = 0.85
        /// The least height and width (em) a plot keeps; a legend that would take more is dropped.
        static let minimumPlotEm = 4.0
        static let titleScale = 1.1
        /// Distance between the lines of a wrapped title (em).
        static let titleLineStep = 1.25
        static let categoryMinScale = 0.8
        static let categoryMaxVerticalWidth = 9.0
    }

    var viewport: Rect
    var xWindow: ClosedRange<Double>
    var yWindow: ClosedRange<Double>
    /// Numeric x ticks; nil on a categorical axis.
    var xTicks: AxisTicks?
    var yTicks: AxisTicks
    /// Category labels at positions 0, 1, … (already shortened to fit), their scale, and
    /// whether they are written vertically (when they do not fit side by side).
    var categoryLabels: [String] = []
    var categoryScale = 1.0
    var categoriesVertical = false
    var data: PanelData
    var legend: LegendPlan?
    /// Axis labels: PLplot markup, escaped and shortened to fit; empty = not drawn.
    var xLabel = ""
    var yLabel = ""
    /// "n points hidden: …" when something was dropped, "▲ n points above …" when some were
    /// outside the y window.
    var note: String?
    /// Entries of a legend left out for want of room (the note says so).
    var legendLeftOut: Int?
    /// Points outside the y window, marked on the frame.
    var clipped: [ClippedMark] = []
    /// The title wrapped to the room it has (PLplot markup, escaped), top line first;
    /// empty = no title. At most three lines; the last is shortened with "…" if need be.
    var titleLines: [String] = []
    /// Title and note on separate lines (they would collide on one).
    var noteOnOwnLine = false
    /// Distance from the frame's bottom to a legend placed below (em).
    var belowLegendOffset = 0.0

    var hasData: Bool { data.hasData }

    init(panel: Panel, data: PanelData, cell: Rect, metrics: DeviceMetrics) {
        self.data = data
        let categorical = data.categories != nil
        let xScale: AxisScale = categorical ? .linear : panel.x.scale
        // Markers need about an em of air to the frame, whatever the panel size; the
        // plotting area is roughly the cell less 6 em across and 5 em down.
        let markers = data.series.contains(where: \.drawsMarkers)
        let xPadding = markers ? max(AxisFitting.padding, 0.9 / max(Self.emWidth(cell, metrics) - 6, 4)) : AxisFitting.padding
        let yPadding = markers ? max(AxisFitting.padding, 0.7 / max(Self.emHeight(cell, metrics) - 5, 4)) : AxisFitting.padding
        (xWindow, yWindow) = Self.fittedWindows(panel, data: data, xPadding: xPadding, yPadding: yPadding)
        let yIsFitted = panel.y.range.flatMap { AxisFitting.explicitWindow($0, scale: panel.y.scale) } == nil
        viewport = cell
        yTicks = AxisTicks.make(yWindow, scale: panel.y.scale, target: 5)
        clipped = Self.clipped(data, x: xWindow, y: yWindow)
        note = Self.note(data.drops, clipped: clipped)

        let entries = data.hasData ? LegendPlan.entries(for: data) : []
        var placement: LegendPlacement?
        switch panel.legend {
        case .hidden: placement = nil
        case .inside(let corner): placement = .inside(corner)
        case .outsideRight: placement = .outsideRight
        case .below: placement = .below(columns: 1)
        case .automatic: placement = .inside(.topRight)
        }
        if entries.isEmpty { placement = nil }

        layout(panel, cell: cell, metrics: metrics, xScale: xScale, legend: entries, placement: &placement)
        if note != nil, !panel.title.isEmpty {
            let needed = TextMetrics.width(panel.title) * Spacing.titleScale + TextMetrics.width(note!) * Spacing.noteScale + 2
            if needed > emWidth(viewport, metrics) {
                noteOnOwnLine = true
                layout(panel, cell: cell, metrics: metrics, xScale: xScale, legend: entries, placement: &placement)
            }
        }
        if panel.legend == .automatic, !entries.isEmpty {
            placement = automaticPlacement(entries: entries, yIsFitted: yIsFitted, cell: cell, metrics: metrics)
            layout(panel, cell: cell, metrics: metrics, xScale: xScale, legend: entries, placement: &placement)
        }
        // A legend that would leave the plot no room (many entries under a small panel) is
        // left out, and the note says so, rather than the panel drawing nothing.
        if placement != nil, emHeight(viewport, metrics) < Spacing.minimumPlotEm || emWidth(viewport, metrics) < Spacing.minimumPlotEm {
            placement = nil
            legendLeftOut = entries.count
            note = [note, "legend of \(entries.count) left out: no room"].compactMap { $0 }.joined(separator: "; ")
            noteOnOwnLine = !panel.title.isEmpty
            layout(panel, cell: cell, metrics: metrics, xScale: xScale, legend: entries, placement: &placement)
        }
        legend = placement.map { LegendPlan(entries: entries, placement: $0) }
        // The legend may have stretched the y range over a point that was outside it.
        clipped = Self.clipped(data, x: xWindow, y: yWindow)
        note = [Self.note(data.drops, clipped: clipped), legendLeftOut.map { "legend of \($0) left out: no room" }]
            .compactMap { $0 }.joined(separator: "; ")
        if note?.isEmpty == true { note = nil }
        titleLines = panel.title.isEmpty ? [] : TextMetrics.wrap(panel.title, toWidth: titleRoom(cell, metrics))
        if titleLines.count > 1 {
            layout(panel, cell: cell, metrics: metrics, xScale: xScale, legend: entries, placement: &placement)
            legend = placement.map { LegendPlan(entries: entries, placement: $0) }
            titleLines = TextMetrics.wrap(panel.title, toWidth: titleRoom(cell, metrics))
        }
        texts(panel, cell: cell, metrics: metrics)
    }

    /// The title's room: from the frame's left edge to the cell's right edge, in title em.
    private func titleRoom(_ cell: Rect, _ metrics: DeviceMetrics) -> Double {
        emWidth(Rect(x0: viewport.x0, x1: cell.x1, y0: 0, y1: 1), metrics) / Spacing.titleScale
    }

    /// Points outside the y window on one side, drawn as one ▲ (above) or ▼ (below) on the
    /// frame at the x of the first of them.
    struct ClippedMark: Hashable, Sendable {
        var x: Double
        var above: Bool
        var color: Int32
        /// The points the mark stands for: 1 for a marker; for a line, the run of consecutive
        /// vertices beyond the same edge (one mark, so that a curve beyond the edge does not
        /// draw a row of them).
        var count = 1
    }

    /// The points of point-like series (``PreparedSeries/dataPoints``) inside the x window but
    /// outside the y window (a log axis fitted to the bulk, or an explicit range).
    static func clipped(_ data: PanelData, x: ClosedRange<Double>, y: ClosedRange<Double>) -> [ClippedMark] {
        data.series.flatMap { series -> [ClippedMark] in
            var isLine = false
            if case .xy(_, .line) = series.geometry { isLine = true }
            var marks: [ClippedMark] = []
            var previous: Bool?  // the side of the previous vertex, nil when inside
            for p in series.dataPoints {
                guard x.contains(p.x), !y.contains(p.y) else { previous = nil; continue }
                let above = p.y > y.upperBound
                if isLine, previous == above {
                    marks[marks.count - 1].count += 1
                } else {
                    marks.append(ClippedMark(x: p.x, above: above, color: series.style.color))
                }
                previous = above
            }
            return marks
        }
    }

    /// The x and y windows (window coordinates) of a panel's data, before a legend stretches
    /// them: an explicit range as given; else fitted to the data, a fitted log y axis to the
    /// bulk of the point-like series (``AxisFitting/bulk(_:)``) and every curve and histogram.
    static func fittedWindows(_ panel: Panel, data: PanelData, xPadding: Double = AxisFitting.padding,
                              yPadding: Double = AxisFitting.padding) -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let xScale: AxisScale = data.categories != nil ? .linear : panel.x.scale
        let x = data.categories != nil
            ? -0.5...(Double(max(data.categories?.count ?? 0, 1)) - 0.5)
            : AxisFitting.window(values: data.series.flatMap(\.xExtent), scale: xScale, explicit: panel.x.range, padding: xPadding)
        let zeroBaseline = panel.y.scale == .linear && data.series.contains(where: \.wantsZeroBaseline)
        // Point-like series may be outliers on a log axis; curves and histograms never are.
        let pointLike = data.series.filter { !$0.dataPoints.isEmpty }
        let curves = data.series.filter { $0.dataPoints.isEmpty }
        let y = AxisFitting.window(values: curves.flatMap(\.yExtent), scale: panel.y.scale,
                                   explicit: panel.y.range, includeZero: zeroBaseline, padding: yPadding,
                                   outlying: pointLike.flatMap(\.yExtent))
        return (x, y)
    }

    private static func emWidth(_ rect: Rect, _ metrics: DeviceMetrics) -> Double { rect.width * metrics.pageWidthMM / metrics.emMM }
    private static func emHeight(_ rect: Rect, _ metrics: DeviceMetrics) -> Double { rect.height * metrics.pageHeightMM / metrics.emMM }
    private func emWidth(_ rect: Rect, _ metrics: DeviceMetrics) -> Double { Self.emWidth(rect, metrics) }
    private func emHeight(_ rect: Rect, _ metrics: DeviceMetrics) -> Double { Self.emHeight(rect, metrics) }

    /// Ticks and viewport. Tick density depends on the viewport, margins on the labels.
    private mutating func layout(
        _ panel: Panel, cell: Rect, metrics: DeviceMetrics, xScale: AxisScale,
        legend entries: [LegendEntry], placement: inout LegendPlacement?
    ) {
        let topEm = (panel.title.isEmpty && note == nil ? 0.8 : 1.9) + (noteOnOwnLine ? 1.1 : 0)
            + Double(max(titleLines.count - 1, 0)) * Spacing.titleLineStep
        var bottomEm = 0.0
        func bottom() -> Double {
            let hasXLabel = !panel.x.label.isEmpty || xTicks?.multiplierExponent != nil
            var em = hasXLabel ? 3.5 : 2.0
            if categoriesVertical { em += categoryLabels.map { TextMetrics.width($0) * categoryScale }.max() ?? 0 }
            belowLegendOffset = em - 0.3
            if case .below(let columns) = placement { em += LegendPlan.height(entries, columns: columns) + 0.4 }
            return em
        }
        bottomEm = bottom()
        let heightEm = emHeight(cell, metrics) - topEm - bottomEm
        yTicks = AxisTicks.make(yWindow, scale: panel.y.scale, target: Int(max(2, min(7, heightEm / 3.4))))
        let labelWidth = hasData ? yTicks.maxLabelWidth : 0
        let hasYLabel = !panel.y.label.isEmpty || yTicks.multiplierExponent != nil
        let leftEm = Spacing.yTickLabelGap + labelWidth + (hasYLabel ? Spacing.yAxisLabelGap + 1.0 : 0.5)
        var rightEm = 1.0
        if placement == .outsideRight { rightEm += LegendPlan.width(entries) + 0.6 }
        let widthEm = max(emWidth(cell, metrics) - leftEm - rightEm, 1)
        if let categories = data.categories {
            xTicks = nil
            (categoryLabels, categoryScale, categoriesVertical) = Self.fitCategories(categories, axisWidthEm: widthEm)
        } else {
            var target = Int(max(2, min(8, widthEm / 4)))
            var ticks = AxisTicks.make(xWindow, scale: xScale, target: target)
            while target > 2, ticks.totalLabelWidth + 1.5 * Double(ticks.labels.count) > widthEm {
                target -= 1
                ticks = AxisTicks.make(xWindow, scale: xScale, target: target)
            }
            xTicks = ticks
            // Room for the part of the last label that sticks out past the right edge.
            if let last = ticks.labels.last {
                let span = xWindow.upperBound - xWindow.lowerBound
                let inside = (xWindow.upperBound - last.position) / span * widthEm
                rightEm = max(rightEm, TextMetrics.width(last.text) / 2 - inside + 0.3)
            }
        }
        if case .below = placement {
            placement = .below(columns: max(1, min(entries.count, Int(widthEm / max(LegendPlan.width(entries), 1)))))
        }
        bottomEm = bottom()
        viewport = cell.inset(left: metrics.horizontal(leftEm), right: metrics.horizontal(rightEm),
                              bottom: metrics.vertical(bottomEm), top: metrics.vertical(topEm))
    }

    /// Title lines, axis labels and note as PLplot markup, shortened to the room they have
    /// (the title is already wrapped).
    private mutating func texts(_ panel: Panel, cell: Rect, metrics: DeviceMetrics) {
        titleLines = titleLines.map(TextMetrics.escape)
        if let text = note {
            let room = emWidth(Rect(x0: cell.x0, x1: viewport.x1, y0: 0, y1: 1), metrics) / Spacing.noteScale
            note = TextMetrics.escape(TextMetrics.truncate(text, toWidth: room))
        }
        func axisLabel(_ label: String, _ ticks: AxisTicks?, room: Double) -> String {
            let multiplierRoom = ticks?.multiplierExponent == nil ? 0 : 5.0
            let short = TextMetrics.truncate(label, toWidth: max(room - multiplierRoom, 3))
            guard hasData, let ticks else { return TextMetrics.escape(short) }
            return ticks.decoratedLabel(short)
        }
        xLabel = axisLabel(panel.x.label, xTicks, room: emWidth(viewport, metrics) + 2)
        yLabel = axisLabel(panel.y.label, yTicks, room: emHeight(viewport, metrics) + 2)
    }

    /// A free inside corner; else room made above fitted data; else outside right (or
    /// below, for wide legends); else the corner hiding the least.
    private mutating func automaticPlacement(
        entries: [LegendEntry], yIsFitted: Bool, cell: Rect, metrics: DeviceMetrics
    ) -> LegendPlacement {
        let vpWidthEm = emWidth(viewport, metrics)
        let vpHeightEm = emHeight(viewport, metrics)
        let width = LegendPlan.width(entries) / vpWidthEm
        let height = LegendPlan.height(entries, columns: 1) / vpHeightEm
        let insetX = LegendPlan.inset / vpWidthEm
        let insetY = LegendPlan.inset / vpHeightEm
        let samples = Occupancy.samples(data, x: xWindow, y: yWindow)
        let counts = Corner.allCases.map {
            ($0, Occupancy.count(samples, corner: $0, width: width, height: height, insetX: insetX, insetY: insetY))
        }
        let best = counts.min { $0.1 < $1.1 }!
        if best.1 == 0 { return .inside(best.0) }
        let usable = 1 - height - 2 * insetY - 0.02
        if yIsFitted, usable >= 0.6, width < 0.6, let top = samples.map(\.y).max() {
            // Stretch the range so all data lies below the legend.
            let dataTop = yWindow.lowerBound + top * (yWindow.upperBound - yWindow.lowerBound)
            let newUpper = yWindow.lowerBound + (dataTop - yWindow.lowerBound) / usable
            if newUpper > yWindow.upperBound { yWindow = yWindow.lowerBound...newUpper }
            return .inside(.topRight)
        }
        if LegendPlan.width(entries) <= 0.3 * emWidth(cell, metrics) { return .outsideRight }
        // Below, unless that would leave the plot less than half of the cell's height.
        let columns = max(1, min(entries.count, Int(vpWidthEm / max(LegendPlan.width(entries), 1))))
        if LegendPlan.height(entries, columns: columns) + 0.4 < vpHeightEm - 0.5 * emHeight(cell, metrics) {
            return .below(columns: columns)
        }
        return .inside(best.0)
    }

    /// Category labels side by side (shrunk down to 80 % and shortened with "…"), or
    /// written vertically when that would cut them too much.
    static func fitCategories(_ categories: [String], axisWidthEm: Double) -> ([String], Double, Bool) {
        guard !categories.isEmpty else { return ([], 1, false) }
        let slot = axisWidthEm / Double(categories.count) - 0.6
        let widest = categories.map { TextMetrics.width($0) }.max() ?? 0
        let scale = widest <= slot ? 1 : max(Spacing.categoryMinScale, slot / max(widest, 0.01))
        if widest * scale <= slot * 1.05 { return (categories, scale, false) }
        // Vertical: one text line per slot must fit the slot width.
        let verticalScale = min(1, max(0.6, (slot + 0.6) / 1.5))
        let labels = categories.map { TextMetrics.truncate($0, toWidth: Spacing.categoryMaxVerticalWidth) }
        return (labels, verticalScale, true)
    }

    /// "n points hidden: …" for dropped points and "▲ n points above, ▼ m below the axis" for
    /// clipped ones, joined by "; "; nil when there are neither.
    static func note(_ drops: DropCounts, clipped: [ClippedMark] = []) -> String? {
        var parts: [String] = []
        if drops.total > 0 {
            var reasons: [String] = []
            if drops.nonFinite > 0 { reasons.append("\(drops.nonFinite) non-finite") }
            if drops.nonPositiveOnLog > 0 { reasons.append("\(drops.nonPositiveOnLog) ≤ 0 on log axis") }
            let noun = drops.total == 1 ? "point" : "points"
            parts.append("\(drops.total) \(noun) hidden: " + reasons.joined(separator: ", "))
        }
        let above = clipped.filter(\.above).reduce(0) { $0 + $1.count }
        let below = clipped.filter { !$0.above }.reduce(0) { $0 + $1.count }
        if above + below > 0 {
            let noun = above + below == 1 ? "point" : "points"
            let sides = [above > 0 ? "▲ \(above) \(noun) above" : nil, below > 0 ? "▼ \(below)\(above > 0 ? "" : " \(noun)") below" : nil]
            parts.append(sides.compactMap { $0 }.joined(separator: ", ") + " the axis")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
