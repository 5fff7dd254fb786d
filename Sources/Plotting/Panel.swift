/// A corner of a chart's plotting area.
public enum Corner: Sendable, Hashable, CaseIterable {
    case topRight, topLeft, bottomRight, bottomLeft
}

/// Where a panel's legend goes. The legend always has a white background and a thin
/// grey frame.
public enum LegendPosition: Sendable, Hashable {
    /// Inside the plotting area, in the corner that covers the fewest data; if every
    /// corner would hide data and the y range is fitted, the range is extended upward to
    /// make room; failing that the legend goes outside to the right, or below when it is
    /// too wide for that.
    case automatic
    /// Inside the plotting area, in the given corner (may cover data).
    case inside(Corner)
    /// Outside, to the right of the plotting area (the plotting area shrinks).
    case outsideRight
    /// Outside, under the x-axis label, in as many columns as fit (the plotting area shrinks).
    case below
    /// No legend.
    case hidden
}

/// One cell of a ``Page``: either a chart (axes with series) or a block of monospaced text.
///
/// A chart whose series have no finite point (after dropping non-positive values on log
/// axes) draws its frame with a visible "no data" message instead of an empty box.
/// Bars make the x axis categorical: it then shows the first bar series' categories, the
/// x scale and range are ignored, and any other series' x values are category indices
/// (0, 1, …).
public struct Panel: Sendable, Hashable {
    /// What a panel shows.
    public enum Content: Sendable, Hashable {
        /// Axes and series.
        case chart
        /// Lines of monospaced text, top-left aligned; the font shrinks to fit, and lines
        /// that still do not fit are shortened with "…". Axes and series are ignored.
        case text([String])
        /// A grid of coloured, labelled cells (see ``Heatmap``). Axes and series are ignored.
        case heatmap(Heatmap)
    }

    /// Drawn above the plotting area (left-aligned); empty = none.
    public var title: String
    /// Horizontal axis (ignored, apart from its label, when the panel has bars).
    public var x: Axis
    /// Vertical axis.
    public var y: Axis
    /// Drawn in order, later series on top; automatic styles are assigned in this order.
    public var series: [Series]
    /// Legend placement; series with an empty label get no entry, and a panel without
    /// entries or without data draws no legend.
    public var legend: LegendPosition
    /// Chart or text; set by the initialisers.
    public var content: Content

    /// A chart panel.
    public init(title: String = "", x: Axis = Axis(), y: Axis = Axis(), series: [Series] = [], legend: LegendPosition = .automatic) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.legend = legend
        self.content = .chart
    }

    /// A text panel (e.g. a grid specification or a small table, see ``TextTable``).
    public static func text(title: String = "", lines: [String]) -> Panel {
        var panel = Panel(title: title)
        panel.content = .text(lines)
        return panel
    }
}
