/// One thing drawn in a chart panel, with its legend label and style.
///
/// Build series with the static constructors (``line(_:x:y:style:)``, ``errorBars(_:x:y:yLow:yHigh:connect:style:)``,
/// ``bars(_:categories:values:yLow:yHigh:style:)``, …). Data is given in raw units; the
/// renderer transforms it for log axes. Points with a NaN/±inf coordinate are skipped,
/// arrays of unequal length are truncated to the shortest one (the surplus counts as
/// non-finite), and nothing here ever traps.
public struct Series: Sendable, Hashable {
    /// How x/y points are joined.
    public enum Mode: Sendable, Hashable {
        case line, markers, lineAndMarkers
    }

    /// The data and the way it is drawn.
    public enum Kind: Sendable, Hashable {
        /// Points drawn as a polyline, markers or both.
        case xy(x: [Double], y: [Double], mode: Mode)
        /// Seed-averaged points: a marker at `y` with a vertical bar from `yLow` to `yHigh`
        /// (absolute values, not offsets), optionally joined by a line. On a log y axis a
        /// non-positive `yLow` draws the bar down to the bottom of the axis.
        case errorBars(x: [Double], y: [Double], yLow: [Double], yHigh: [Double], connect: Bool)
        /// Categorical bars; see ``BarChart``. The panel's x axis becomes categorical.
        case bars(BarChart)
        /// A histogram from `edges` (n+1 increasing bin edges) and `densities` (n values),
        /// drawn as filled bars with an outline, or as a step outline only.
        case histogram(edges: [Double], densities: [Double], filled: Bool)
        /// A smooth density curve (a solid line by default).
        case density(x: [Double], y: [Double])
    }

    /// Legend text; an empty label gives no legend entry.
    public var label: String
    /// The data and how it is drawn.
    public var kind: Kind
    /// Colour, marker, dash and width (automatic by default).
    public var style: SeriesStyle

    /// A series of any kind; the static constructors are usually more convenient.
    public init(label: String, kind: Kind, style: SeriesStyle = SeriesStyle()) {
        self.label = label
        self.kind = kind
        self.style = style
    }

    /// A polyline through the points in the order given.
    public static func line(_ label: String, x: [Double], y: [Double], style: SeriesStyle = SeriesStyle()) -> Series {
        Series(label: label, kind: .xy(x: x, y: y, mode: .line), style: style)
    }

    /// Markers only (a scatter plot).
    public static func markers(_ label: String, x: [Double], y: [Double], style: SeriesStyle = SeriesStyle()) -> Series {
        Series(label: label, kind: .xy(x: x, y: y, mode: .markers), style: style)
    }

    /// A polyline with a marker at every point.
    public static func lineMarkers(_ label: String, x: [Double], y: [Double], style: SeriesStyle = SeriesStyle()) -> Series {
        Series(label: label, kind: .xy(x: x, y: y, mode: .lineAndMarkers), style: style)
    }

    /// Points with vertical error bars, e.g. a mean over seeds with a min–max or
    /// ± sd band. `yLow`/`yHigh` are absolute values; a non-finite bound omits that half
    /// of the bar.
    public static func errorBars(
        _ label: String, x: [Double], y: [Double], yLow: [Double], yHigh: [Double],
        connect: Bool = true, style: SeriesStyle = SeriesStyle()
    ) -> Series {
        Series(label: label, kind: .errorBars(x: x, y: y, yLow: yLow, yHigh: yHigh, connect: connect), style: style)
    }

    /// Ungrouped categorical bars, one per category, in one colour, with optional error bars.
    public static func bars(
        _ label: String, categories: [String], values: [Double],
        yLow: [Double]? = nil, yHigh: [Double]? = nil, style: SeriesStyle = SeriesStyle()
    ) -> Series {
        let group = BarGroup(label, values: values, yLow: yLow, yHigh: yHigh, color: style.color)
        return Series(label: label, kind: .bars(BarChart(categories: categories, groups: [group])), style: style)
    }

    /// Grouped categorical bars: for each category one bar per group, side by side,
    /// one colour (and legend entry) per group.
    public static func groupedBars(categories: [String], groups: [BarGroup]) -> Series {
        Series(label: "", kind: .bars(BarChart(categories: categories, groups: groups)))
    }

    /// A histogram from bin edges and densities (or counts).
    public static func histogram(
        _ label: String, edges: [Double], densities: [Double], filled: Bool = true, style: SeriesStyle = SeriesStyle()
    ) -> Series {
        Series(label: label, kind: .histogram(edges: edges, densities: densities, filled: filled), style: style)
    }

    /// A density curve evaluated at `x`.
    public static func density(_ label: String, x: [Double], y: [Double], style: SeriesStyle = SeriesStyle()) -> Series {
        Series(label: label, kind: .density(x: x, y: y), style: style)
    }
}

/// Categorical bar data: `categories` along x, and one ``BarGroup`` per bar colour.
public struct BarChart: Sendable, Hashable {
    /// Category names, drawn under the bars (shrunk or shortened with "…" when crowded).
    public var categories: [String]
    /// One entry per bar colour; values beyond `categories.count` are ignored (and counted).
    public var groups: [BarGroup]

    /// Bar data.
    public init(categories: [String], groups: [BarGroup]) {
        self.categories = categories
        self.groups = groups
    }
}

/// One bar colour of a ``BarChart``: a value per category (missing or non-finite values
/// draw no bar) and optional absolute error-bar ends.
public struct BarGroup: Sendable, Hashable {
    /// Legend text; empty = no legend entry.
    public var label: String
    /// Bar heights, one per category. On a log y axis bars start at the bottom of the axis.
    public var values: [Double]
    /// Absolute lower error-bar ends, one per category; nil = no error bars.
    public var yLow: [Double]?
    /// Absolute upper error-bar ends, one per category; nil = no error bars.
    public var yHigh: [Double]?
    /// Fill colour (bars get a thin black outline).
    public var color: SeriesColor

    /// A bar group.
    public init(_ label: String, values: [Double], yLow: [Double]? = nil, yHigh: [Double]? = nil, color: SeriesColor = .automatic) {
        self.label = label
        self.values = values
        self.yLow = yLow
        self.yHigh = yHigh
        self.color = color
    }
}
