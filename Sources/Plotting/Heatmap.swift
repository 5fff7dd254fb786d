import Foundation

/// A grid of labelled cells coloured by value (e.g. samplers × targets of ESS per
/// gradient), each cell also printing its text, with a colour bar that gives the metric's
/// units and which end is better, and a key for the cells that are not plain results.
///
/// Colours run along viridis (dark purple → yellow, colour-blind safe and monotone in
/// lightness) from the worse to the better end of the colour range (``range``), on a log10
/// scale when `logScale` is set (non-positive values then count as undefined).
///
/// The colour range, so that near-equal values get near-equal colours:
/// - ``ColourRange/fixed(_:)``: the given bounds, whatever the data (rates: 0–100 %); values
///   beyond them take the end colours.
/// - ``ColourRange/fitted(minimumSpan:)``: the smallest and largest finite value, widened
///   about their middle to at least `minimumSpan` (in decades on a log scale): with one decade,
///   0.0393 and 0.0354 (0.045 decades apart) differ by 4.5 % of the bar instead of being its
///   two ends. The default is one decade on a log scale and no widening on a linear one.
///
/// Cells marked ``CellMark/fail`` (not a result) are drawn white with grey hatching and their
/// text in black, never in the colour of a result; ``CellMark/warn`` cells get a small white
/// corner triangle. Undefined cells are light grey.
public struct Heatmap: Sendable, Hashable {
    /// How a cell's result is to be read.
    public enum CellMark: Sendable, Hashable {
        /// A result.
        case none
        /// A result with a caveat (drawn with a corner mark).
        case warn
        /// Not a result (drawn hatched, the text still readable).
        case fail
    }

    public struct Cell: Sendable, Hashable {
        public var value: Double?
        /// Printed centred in the cell; "\n" separates lines.
        public var text: String
        public var mark: CellMark

        public init(value: Double?, text: String, mark: CellMark = .none) {
            self.value = value
            self.text = text
            self.mark = mark
        }
    }

    /// The values the colours span (see the type's documentation).
    public enum ColourRange: Sendable, Hashable {
        case fixed(ClosedRange<Double>)
        /// The data's range, at least `minimumSpan` wide (decades on a log scale).
        case fitted(minimumSpan: Double)
    }

    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `cells[row][column]`; must be rowLabels.count × columnLabels.count.
    public var cells: [[Cell]]
    /// Whether larger values are better (brighter).
    public var higherIsBetter: Bool
    public var logScale: Bool
    /// The colour bar's label: what the values are, in which units ("ESS per gradient").
    public var unit: String
    public var range: ColourRange

    /// A heatmap; `range` nil is `.fitted` with one decade on a log scale, none on a linear one.
    public init(rowLabels: [String], columnLabels: [String], cells: [[Cell]], higherIsBetter: Bool, logScale: Bool,
                unit: String = "", range: ColourRange? = nil) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.higherIsBetter = higherIsBetter
        self.logScale = logScale
        self.unit = unit
        self.range = range ?? .fitted(minimumSpan: logScale ? 1 : 0)
    }

    /// A value on the colour scale: log10 on a log scale; nil where undefined.
    func scaled(_ value: Double?) -> Double? {
        guard let value, value.isFinite else { return nil }
        if logScale { return value > 0 ? log10(value) : nil }
        return value
    }

    /// The colour range on the colour scale (log10 units on a log scale); nil when it has no
    /// finite value and no fixed range.
    func window() -> ClosedRange<Double>? {
        switch range {
        case .fixed(let bounds):
            guard let lo = scaled(bounds.lowerBound), let hi = scaled(bounds.upperBound), hi > lo else { return nil }
            return lo...hi
        case .fitted(let minimumSpan):
            let finite = cells.flatMap { $0.map { scaled($0.value) } }.compactMap { $0 }
            guard var lo = finite.min(), var hi = finite.max() else { return nil }
            if hi - lo < minimumSpan {
                let middle = (lo + hi) / 2
                (lo, hi) = (middle - minimumSpan / 2, middle + minimumSpan / 2)
            }
            return lo...hi
        }
    }

    /// The colour position in [0, 1] of a scaled value (1 = the better end).
    func fraction(ofScaled v: Double, in window: ClosedRange<Double>) -> Double {
        let span = window.upperBound - window.lowerBound
        let f = span > 0 ? min(max((v - window.lowerBound) / span, 0), 1) : 0.5
        return higherIsBetter ? f : 1 - f
    }

    /// The colour position in [0, 1] of every cell (1 = best), nil where undefined.
    func fractions() -> [[Double?]] {
        guard let window = window() else { return cells.map { $0.map { _ in nil } } }
        return cells.map { row in row.map { cell in scaled(cell.value).map { fraction(ofScaled: $0, in: window) } } }
    }

    /// The colour bar: its label, and tick labels at colour positions (1 = the better end,
    /// drawn at the top, labelled "better").
    struct ColourBar: Hashable, Sendable {
        var label: String
        /// (colour position, PLplot markup).
        var ticks: [TickLabel]
    }

    var colourBar: ColourBar? {
        guard let window = window() else { return nil }
        let scale = logScale ? " (log scale)" : ""
        let ticks = AxisTicks.make(window, scale: logScale ? .log10 : .linear, target: 4).labels
            .map { TickLabel(position: fraction(ofScaled: $0.position, in: window), text: $0.text) }
        return ColourBar(label: unit + scale, ticks: ticks)
    }

    /// The key's entries: always "no value" and "failed", and "warn" when a cell has it.
    var keyEntries: [CellMark?] {
        let warn = cells.contains { $0.contains { $0.mark == .warn } }
        return [nil, .fail] + (warn ? [.warn] : [])
    }
}

extension Panel {
    /// A heatmap panel.
    public static func heatmap(title: String = "", _ heatmap: Heatmap) -> Panel {
        var panel = Panel(title: title)
        panel.content = .heatmap(heatmap)
        return panel
    }
}
