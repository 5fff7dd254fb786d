/// Scale of one axis.
public enum AxisScale: Sendable, Hashable {
    /// Values are plotted as given.
    case linear
    /// Values are plotted on a base-10 logarithmic axis. Callers pass raw values;
    /// values that are zero or negative cannot be shown and are dropped (and counted
    /// in ``RenderReport/omissions``), never a crash.
    case log10
}

/// One axis of a chart panel: label, scale and optional fixed range.
public struct Axis: Sendable, Hashable {
    /// Axis label; empty means no label.
    public var label: String
    /// Linear or base-10 logarithmic.
    public var scale: AxisScale
    /// Fixed range in raw data units (also for ``AxisScale/log10``). `nil` = fitted to
    /// the data. A range that is not usable (non-finite, empty, or not positive on a log
    /// axis) is ignored and the axis is fitted instead. Data outside the range is clipped.
    public var range: ClosedRange<Double>?

    /// An axis; by default linear, unlabelled and fitted to the data.
    public init(_ label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// A base-10 logarithmic axis.
    public static func log(_ label: String = "", range: ClosedRange<Double>? = nil) -> Axis {
        Axis(label, scale: .log10, range: range)
    }
}
