/// A chart panel's series, cleaned and transformed to window coordinates.
struct PanelData: Sendable {
    var series: [PreparedSeries]
    /// Category names when the panel has bars (the x axis is then categorical).
    var categories: [String]?

    var drops: DropCounts { series.reduce(DropCounts()) { $0 + $1.drops } }
    var hasData: Bool { series.contains { !$0.isEmpty } }

    init(panel: Panel) {
        var categories: [String]?
        for series in panel.series {
            if case .bars(let chart) = series.kind { categories = chart.categories; break }
        }
        self.categories = categories
        let xAxis = AxisTransform(scale: categories == nil ? panel.x.scale : .linear)
        let yAxis = AxisTransform(scale: panel.y.scale)
        var allocator = StyleAllocator()
        self.series = panel.series.map { series in
            Self.prepare(series, x: xAxis, y: yAxis, categoryCount: categories?.count, allocator: &allocator)
        }
    }

    private static func prepare(
        _ series: Series, x: AxisTransform, y: AxisTransform, categoryCount: Int?, allocator: inout StyleAllocator
    ) -> PreparedSeries {
        var drops = DropCounts()
        let geometry: PreparedSeries.Geometry
        var style: ResolvedStyle
        switch series.kind {
        case let .xy(xs, ys, mode):
            style = allocator.resolve(series.style, usesMarker: mode != .line, dashable: mode == .line)
            geometry = .xy(runs: points(xs, ys, x, y, &drops), mode: mode)
        case let .density(xs, ys):
            style = allocator.resolve(series.style, usesMarker: false, dashable: false)
            geometry = .density(runs: points(xs, ys, x, y, &drops))
        case let .errorBars(xs, ys, lows, highs, connect):
            style = allocator.resolve(series.style, usesMarker: true, dashable: false)
            geometry = .errorBars(errorPoints(xs, ys, lows, highs, x, y, &drops), connect: connect)
        case let .histogram(edges, heights, filled):
            style = allocator.resolve(series.style, usesMarker: false, dashable: false)
            geometry = .histogram(runs: bins(edges, heights, x, y, &drops), filled: filled)
        case let .bars(chart):
            // Bars take their colours per group, not per series.
            style = ResolvedStyle(color: ColorMap.foreground, fill: ColorMap.greyFill, marker: .square, dash: .solid, lineWidth: 1)
            let (bars, labels) = Self.bars(chart, categoryCount: categoryCount ?? chart.categories.count, y, &allocator, &drops)
            geometry = .bars(bars, groupLabels: labels)
        }
        return PreparedSeries(label: series.label, style: style, geometry: geometry, drops: drops)
    }

    private static func points(
        _ xs: [Double], _ ys: [Double], _ x: AxisTransform, _ y: AxisTransform, _ drops: inout DropCounts
    ) -> [[Point]] {
        let n = min(xs.count, ys.count)
        drops.nonFinite += max(xs.count, ys.count) - n
        return splitIntoRuns((0..<n).map { x.point(xs[$0], ys[$0], yAxis: y, drops: &drops) })
    }

    private static func errorPoints(
        _ xs: [Double], _ ys: [Double], _ lows: [Double], _ highs: [Double],
        _ x: AxisTransform, _ y: AxisTransform, _ drops: inout DropCounts
    ) -> [ErrorPoint] {
        let n = min(xs.count, ys.count)
        drops.nonFinite += max(xs.count, ys.count) - n
        return (0..<n).compactMap { i in
            guard let p = x.point(xs[i], ys[i], yAxis: y, drops: &drops) else { return nil }
            return ErrorPoint(x: p.x, y: p.y, low: bound(i < lows.count ? lows[i] : .nan, y),
                              high: bound(i < highs.count ? highs[i] : .nan, y).flatMap { $0.isFinite ? $0 : nil })
        }
    }

    /// An error-bar end in window coordinates: nil when not finite, -inf when it is not
    /// positive on a log axis (the bar then runs to the bottom of the axis).
    private static func bound(_ raw: Double, _ y: AxisTransform) -> Double? {
        switch y.apply(raw) {
        case .value(let v): v
        case .nonFinite: nil
        case .nonPositive: -.infinity
        }
    }

    private static func bins(
        _ edges: [Double], _ heights: [Double], _ x: AxisTransform, _ y: AxisTransform, _ drops: inout DropCounts
    ) -> [[Bin]] {
        let n = min(max(edges.count - 1, 0), heights.count)
        drops.nonFinite += heights.count - n
        let bins: [Bin?] = (0..<n).map { i in
            let outcomes = [x.apply(edges[i]), x.apply(edges[i + 1]), y.apply(heights[i])]
            var values: [Double] = []
            for outcome in outcomes {
                switch outcome {
                case .value(let v): values.append(v)
                case .nonFinite: drops.nonFinite += 1; return nil
                case .nonPositive: drops.nonPositiveOnLog += 1; return nil
                }
            }
            guard values[1] > values[0] else { drops.nonFinite += 1; return nil }
            return Bin(lo: values[0], hi: values[1], height: values[2])
        }
        return splitIntoRuns(bins)
    }

    private static func bars(
        _ chart: BarChart, categoryCount: Int, _ y: AxisTransform,
        _ allocator: inout StyleAllocator, _ drops: inout DropCounts
    ) -> ([PreparedBar], [(String, ResolvedStyle)]) {
        let groupCount = max(chart.groups.count, 1)
        let slot = 0.8 / Double(groupCount)
        var bars: [PreparedBar] = []
        var labels: [(String, ResolvedStyle)] = []
        for (g, group) in chart.groups.enumerated() {
            let style = allocator.resolve(SeriesStyle(color: group.color), usesMarker: false, dashable: false)
            labels.append((group.label, style))
            drops.nonFinite += max(group.values.count - categoryCount, 0)
            for c in 0..<min(group.values.count, categoryCount) {
                let value: Double
                switch y.apply(group.values[c]) {
                case .value(let v): value = v
                case .nonFinite: drops.nonFinite += 1; continue
                case .nonPositive: drops.nonPositiveOnLog += 1; continue
                }
                let center = Double(c) - 0.4 + slot * (Double(g) + 0.5)
                let low = group.yLow.flatMap { c < $0.count ? bound($0[c], y) : nil }
                let high = group.yHigh.flatMap { c < $0.count ? bound($0[c], y) : nil }.flatMap { $0.isFinite ? $0 : nil }
                bars.append(PreparedBar(center: center, width: slot * 0.92, value: value, low: low, high: high, style: style))
            }
        }
        return (bars, labels)
    }
}
