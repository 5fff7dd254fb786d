extension Panel {
    /// A panel comparing a histogram of samples with a reference density: filled sky-blue
    /// bars (outlined) and the reference curve as a solid black line on top.
    ///
    /// - Parameters:
    ///   - edges: n+1 increasing bin edges; `densities`: n histogram heights (normalised
    ///     like the density, so both share the y axis).
    ///   - densityX/densityY: the reference density evaluated on a grid.
    public static func histogramVersusDensity(
        title: String, xLabel: String, yLabel: String = "density",
        edges: [Double], densities: [Double], histogramLabel: String = "samples",
        densityX: [Double], densityY: [Double], densityLabel: String = "reference density",
        legend: LegendPosition = .automatic
    ) -> Panel {
        Panel(
            title: title, x: Axis(xLabel), y: Axis(yLabel),
            series: [
                .histogram(histogramLabel, edges: edges, densities: densities, filled: true,
                           style: SeriesStyle(color: .cycle(5))),
                .density(densityLabel, x: densityX, y: densityY, style: SeriesStyle(color: .black, lineWidth: 1.2)),
            ],
            legend: legend)
    }
}

/// Formats a small table as monospaced lines for ``Panel/text(title:lines:)``: columns
/// padded to their widest cell, a dashed rule under the header. Numbers are not
/// formatted here; pass strings as they should appear.
public struct TextTable: Sendable, Hashable {
    /// Column titles.
    public var headers: [String]
    /// Cells, row by row (ragged rows are allowed).
    public var rows: [[String]]
    /// Columns whose cells are right-aligned (e.g. numeric columns).
    public var rightAligned: Set<Int>

    /// A table; `rightAligned` lists the column indices to right-align.
    public init(headers: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// The table as lines of text; rows shorter than the header are padded with blanks,
    /// longer ones widen the table.
    public var lines: [String] {
        let columnCount = ([headers.count] + rows.map(\.count)).max() ?? 0
        guard columnCount > 0 else { return [] }
        func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }
        let widths = (0..<columnCount).map { column in
            ([headers] + rows).map { cell($0, column).count }.max() ?? 0
        }
        func format(_ row: [String]) -> String {
            (0..<columnCount).map { column in
                let text = cell(row, column)
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return rightAligned.contains(column) ? padding + text : text + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return [format(headers), rule] + rows.map(format)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
