import Foundation
/// A grid of labelled cells coloured by value (e.g. samplers × targets of ESS per
/// gradient), each cell also printing its text, so the figure reads without a colour bar.
///
/// Colours run along viridis (dark purple → yellow, colour-blind safe and monotone in
/// lightness) from the worst to the best finite value, on a log10 scale when `logScale` is
/// set (non-positive values then count as undefined). Undefined cells are light grey.
public struct Heatmap: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
        public var value: Double?
        /// Printed centred in the cell; "\n" separates lines.
        public var text: String

        public init(value: Double?, text: String) {
            self.value = value
            self.text = text
        }
    }

    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `cells[row][column]`; must be rowLabels.count × columnLabels.count.
    public var cells: [[Cell]]
    /// Whether larger values are better (brighter).
    public var higherIsBetter: Bool
    public var logScale: Bool

    public init(rowLabels: [String], columnLabels: [String], cells: [[Cell]], higherIsBetter: Bool, logScale: Bool) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.cells = cells
        self.higherIsBetter = higherIsBetter
        self.logScale = logScale
    }

    /// The colour position in [0, 1] of every cell (1 = best), nil where undefined.
    func fractions() -> [[Double?]] {
        let transform: (Double?) -> Double? = { v in
            guard let v, v.isFinite else { return nil }
            if logScale { return v > 0 ? log10(v) : nil }
            return v
        }
        let values = cells.map { $0.map { transform($0.value) } }
        let finite = values.flatMap { $0 }.compactMap { $0 }
        guard let lo = finite.min(), let hi = finite.max() else { return values.map { $0.map { _ in nil } } }
        return values.map { row in
            row.map { v in
                guard let v else { return nil }
                let f = hi > lo ? (v - lo) / (hi - lo) : 1
                return higherIsBetter ? f : 1 - f
            }
        }
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
