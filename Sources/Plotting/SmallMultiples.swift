import Foundation

/// Small multiples: a figure with more series than a reader can tell apart, split into panels
/// of a few series each that share their axes.
extension Panel {
    /// The most series a report panel holds: eight colours of the Okabe–Ito cycle, so that no
    /// two series of a panel share a colour (let alone a colour and marker).
    public static let maxSeriesPerPanel = 8

    /// The panels with one x and one y range, fitted to all their series together by the rule
    /// a single panel uses (``ChartPlan/fittedWindows(_:data:xPadding:yPadding:)``: a log y
    /// axis to the bulk of the points, outliers marked at the edge), so that small multiples
    /// compare at a glance. Text and heatmap panels and axes with an explicit range are left
    /// as they are; the axes' scales are the first chart panel's.
    public static func sharingAxes(_ panels: [Panel]) -> [Panel] {
        let charts = panels.filter { if case .chart = $0.content { true } else { false } }
        guard charts.count > 1, let first = charts.first else { return panels }
        var joint = Panel(x: first.x, y: first.y, series: charts.flatMap(\.series))
        joint.legend = .hidden
        let data = PanelData(panel: joint)
        guard data.hasData else { return panels }
        let (x, y) = ChartPlan.fittedWindows(joint, data: data)
        func raw(_ window: ClosedRange<Double>, _ scale: AxisScale) -> ClosedRange<Double> {
            scale == .log10 ? pow(10, window.lowerBound)...pow(10, window.upperBound) : window
        }
        return panels.map { panel in
            guard case .chart = panel.content else { return panel }
            var shared = panel
            if shared.x.range == nil && data.categories == nil && shared.x.scale == first.x.scale { shared.x.range = raw(x, first.x.scale) }
            if shared.y.range == nil && shared.y.scale == first.y.scale { shared.y.range = raw(y, first.y.scale) }
            return shared
        }
    }

    /// `items` in consecutive chunks of at most `maxPerChunk`, as few as that allows, their
    /// sizes differing by at most one (20 by 8 → 7, 7, 6). Empty for no items.
    public static func balancedChunks<T>(_ items: [T], maxPerChunk: Int) -> [[T]] {
        guard !items.isEmpty else { return [] }
        let count = (items.count + max(maxPerChunk, 1) - 1) / max(maxPerChunk, 1)
        let base = items.count / count, extra = items.count % count
        var chunks: [[T]] = [], start = 0
        for k in 0..<count {
            let size = base + (k < extra ? 1 : 0)
            chunks.append(Array(items[start..<start + size]))
            start += size
        }
        return chunks
    }

    /// This panel's series split into panels of at most `maxSeries` (``balancedChunks(_:maxPerChunk:)``)
    /// that share their axes (``sharingAxes(_:)``), titled "title (k/n)" when there are several;
    /// the panel itself when it has no more than `maxSeries`.
    public func smallMultiples(maxSeries: Int = Panel.maxSeriesPerPanel) -> [Panel] {
        guard case .chart = content, series.count > maxSeries else { return [self] }
        let chunks = Panel.balancedChunks(series, maxPerChunk: maxSeries)
        return Panel.sharingAxes(chunks.enumerated().map { k, chunk in
            var panel = self
            panel.series = chunk
            panel.title = title.isEmpty ? "" : "\(title) (\(k + 1)/\(chunks.count))"
            return panel
        })
    }
}
