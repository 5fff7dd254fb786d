import Foundation

/// Counts of input points that a series could not draw.
struct DropCounts: Hashable, Sendable {
    /// NaN/±inf coordinates, or entries without a partner in an array of unequal length.
    var nonFinite = 0
    /// Zero or negative values on a log axis.
    var nonPositiveOnLog = 0

    var total: Int { nonFinite + nonPositiveOnLog }

    static func + (a: DropCounts, b: DropCounts) -> DropCounts {
        DropCounts(nonFinite: a.nonFinite + b.nonFinite, nonPositiveOnLog: a.nonPositiveOnLog + b.nonPositiveOnLog)
    }
}

/// A point in window coordinates (log10 already applied on log axes).
struct Point: Hashable, Sendable {
    var x: Double
    var y: Double
}

/// Maps raw values to window coordinates for one axis, counting what cannot be shown.
struct AxisTransform: Sendable {
    var scale: AxisScale

    enum Outcome { case value(Double), nonFinite, nonPositive }

    func apply(_ raw: Double) -> Outcome {
        // Magnitudes beyond 1e300 cannot be padded or subtracted without overflow; they
        // are treated like infinities.
        guard raw.isFinite, abs(raw) <= 1e300 else { return .nonFinite }
        switch scale {
        case .linear: return .value(raw)
        case .log10:
            guard raw > 0 else { return .nonPositive }
            let logged = Foundation.log10(raw)
            return logged.isFinite ? .value(logged) : .nonFinite
        }
    }

    /// Transforms a point; on failure records why in `drops` and returns nil.
    func point(_ x: Double, _ y: Double, yAxis: AxisTransform, drops: inout DropCounts) -> Point? {
        switch (apply(x), yAxis.apply(y)) {
        case let (.value(tx), .value(ty)): return Point(x: tx, y: ty)
        case (.nonFinite, _), (_, .nonFinite): drops.nonFinite += 1
        default: drops.nonPositiveOnLog += 1
        }
        return nil
    }
}

/// One vertical error bar in window coordinates.
struct ErrorPoint: Hashable, Sendable {
    var x: Double
    var y: Double
    /// Lower end; `nil` = no lower half. `-infinity` = down to the bottom of the axis
    /// (a non-positive lower bound on a log axis).
    var low: Double?
    var high: Double?
}

/// One bar of a categorical bar chart, in window coordinates.
struct PreparedBar: Hashable, Sendable {
    var center: Double
    var width: Double
    var value: Double
    var low: Double?
    var high: Double?
    var style: ResolvedStyle
}

/// One histogram bin in window coordinates.
struct Bin: Hashable, Sendable {
    var lo: Double
    var hi: Double
    var height: Double
}

/// A series after cleaning and transformation: only drawable geometry is left.
struct PreparedSeries: Sendable {
    enum Geometry: Sendable {
        /// Polyline runs (a dropped point breaks the line) and the markers.
        case xy(runs: [[Point]], mode: Series.Mode)
        case errorBars([ErrorPoint], connect: Bool)
        case bars([PreparedBar], groupLabels: [(String, ResolvedStyle)])
        /// Contiguous runs of bins (a dropped bin breaks the outline).
        case histogram(runs: [[Bin]], filled: Bool)
        case density(runs: [[Point]])
    }

    var label: String
    var style: ResolvedStyle
    var geometry: Geometry
    var drops: DropCounts

    /// Window-coordinate values that the fitted x and y ranges must contain.
    var xExtent: [Double] {
        switch geometry {
        case .xy(let runs, _), .density(let runs): runs.flatMap { $0.map(\.x) }
        case .errorBars(let points, _): points.map(\.x)
        case .bars(let bars, _): bars.flatMap { [$0.center - $0.width / 2, $0.center + $0.width / 2] }
        case .histogram(let runs, _): runs.flatMap { $0.flatMap { [$0.lo, $0.hi] } }
        }
    }

    var yExtent: [Double] {
        switch geometry {
        case .xy(let runs, _), .density(let runs): runs.flatMap { $0.map(\.y) }
        case .errorBars(let points, _):
            points.flatMap { p in [p.y] + [p.low, p.high].compactMap { $0 }.filter(\.isFinite) }
        case .bars(let bars, _): bars.flatMap { b in [b.value] + [b.low, b.high].compactMap { $0 }.filter(\.isFinite) }
        case .histogram(let runs, _): runs.flatMap { $0.map(\.height) }
        }
    }

    /// Whether the fitted linear y range should include 0 (bars and histograms stand on 0).
    var wantsZeroBaseline: Bool {
        switch geometry {
        case .bars, .histogram: true
        default: false
        }
    }

    var isEmpty: Bool { xExtent.isEmpty }

    /// The data points of point-like series (xy vertices, error-bar centres, bar tops): on a
    /// fitted log axis they may lie outside the window as outliers, and a point outside the y
    /// window is marked at the edge (``ChartPlan/clipped``). Curves and histograms give none:
    /// their tails are part of the picture, never outliers.
    var dataPoints: [Point] {
        switch geometry {
        case .xy(let runs, _): runs.flatMap { $0 }
        case .errorBars(let points, _): points.map { Point(x: $0.x, y: $0.y) }
        case .bars(let bars, _): bars.map { Point(x: $0.center, y: $0.value) }
        case .histogram, .density: []
        }
    }

    /// Whether the series draws markers (which need some air to the frame).
    var drawsMarkers: Bool {
        switch geometry {
        case .xy(_, let mode): mode != .line
        case .errorBars: true
        default: false
        }
    }
}

/// Splits `items` into runs of consecutive non-nil values.
func splitIntoRuns<T>(_ items: [T?]) -> [[T]] {
    var result: [[T]] = []
    var current: [T] = []
    for item in items {
        if let item { current.append(item) } else if !current.isEmpty {
            result.append(current)
            current = []
        }
    }
    if !current.isEmpty { result.append(current) }
    return result
}
