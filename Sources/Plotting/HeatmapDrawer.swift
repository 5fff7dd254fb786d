import CPLplot

/// Draws a heatmap panel (PLplot lock held): row labels on the left, column labels under the
/// grid (upright when they fit, else vertical), each cell filled from colour map 1 (set to
/// viridis here) with its text in black or white for contrast.
enum HeatmapDrawer {
    /// Viridis at 8 control points (matplotlib's table, evenly spaced).
    static let viridis: [(r: Int32, g: Int32, b: Int32)] = [
        (68, 1, 84), (70, 50, 127), (54, 92, 141), (39, 127, 142),
        (31, 161, 135), (74, 194, 109), (159, 218, 58), (253, 231, 37),
    ]

    static func draw(title: String, heatmap: Heatmap, cell: Rect, metrics: DeviceMetrics) {
        let rows = heatmap.rowLabels.count, columns = heatmap.columnLabels.count
        guard rows > 0, columns > 0, heatmap.cells.count == rows, heatmap.cells.allSatisfy({ $0.count == columns }) else {
            TextPanelDrawer.draw(title: title, lines: ["(empty heatmap)"], cell: cell, metrics: metrics)
            return
        }
        let rowLabelEm = (heatmap.rowLabels.map { TextMetrics.width($0) }.max() ?? 0) + 1
        let cellWidthEm = (cell.width * metrics.pageWidthMM / metrics.emMM - rowLabelEm - 1) / Double(columns)
        let upright = heatmap.columnLabels.allSatisfy { TextMetrics.width($0) < cellWidthEm - 0.3 }
        let columnLabelEm = upright ? 2.0 : min((heatmap.columnLabels.map { TextMetrics.width($0) }.max() ?? 0) + 1, 14)
        let area = cell.inset(left: metrics.horizontal(rowLabelEm), right: metrics.horizontal(0.5),
                              bottom: metrics.vertical(columnLabelEm), top: metrics.vertical(title.isEmpty ? 0.5 : 2.3))
        guard area.width > 0.01, area.height > 0.01 else { return }
        c_plvpor(area.x0, area.x1, area.y0, area.y1)
        c_plwind(0, Double(columns), 0, Double(rows))
        setViridis()
        let fractions = heatmap.fractions()
        let cellHeightEm = area.height * metrics.pageHeightMM / metrics.emMM / Double(rows)
        let textScale = min(1, cellHeightEm / 1.6)
        for r in 0..<rows {
            let y0 = Double(rows - 1 - r)  // first row on top
            for c in 0..<columns {
                let x0 = Double(c)
                let square = [Point(x: x0, y: y0), Point(x: x0 + 1, y: y0), Point(x: x0 + 1, y: y0 + 1), Point(x: x0, y: y0 + 1)]
                if let f = fractions[r][c] {
                    c_plcol1(f)
                } else {
                    PL.color(ColorMap.grid)
                }
                PL.fill(square)
                PL.color(fractions[r][c].map { $0 < 0.6 } == true ? ColorMap.background : ColorMap.foreground)
                var lines = heatmap.cells[r][c].text.split(separator: "\n").map(String.init)
                // Keep the first line only when the others would make the text too small to read.
                if lines.count > 1 && cellHeightEm / (1.5 * Double(lines.count) + 0.2) < 0.75 { lines = [lines[0]] }
                let scale = min(textScale, cellHeightEm / (1.5 * Double(lines.count) + 0.2))
                let lineStep = 1.4 * scale / max(cellHeightEm, 0.1)
                PL.scale(scale)
                let room = cellWidthEm / scale - 0.4
                for (k, line) in lines.enumerated() {
                    let offset = (Double(lines.count - 1) / 2 - Double(k)) * lineStep - 0.25 * scale / max(cellHeightEm, 0.1)
                    c_plptex(x0 + 0.5, y0 + 0.5 + offset, 1, 0, 0.5, TextMetrics.escape(TextMetrics.truncate(line, toWidth: room)))
                }
                PL.scale(1)
            }
        }
        PL.color(ColorMap.foreground)
        PL.width(metrics.lineWidth(0.8))
        c_plbox("bc", 0, 0, "bc", 0, 0)
        for (r, label) in heatmap.rowLabels.enumerated() {
            c_plmtex("lv", 0.5, (Double(rows - 1 - r) + 0.5) / Double(rows), 1, TextMetrics.escape(label))
        }
        for (c, label) in heatmap.columnLabels.enumerated() {
            let position = (Double(c) + 0.5) / Double(columns)
            if upright {
                c_plmtex("b", 1.3, position, 0.5, TextMetrics.escape(label))
            } else {
                c_plmtex("bv", 0.5, position, 1, TextMetrics.escape(TextMetrics.truncate(label, toWidth: columnLabelEm - 1)))
            }
        }
        if !title.isEmpty {
            PL.scale(ChartPlan.Spacing.titleScale)
            c_plmtex("t", 1.0 / ChartPlan.Spacing.titleScale + 0.3, 0, 0, TextMetrics.escape(title))
            PL.scale(1)
        }
    }

    /// Colour map 1 = viridis, linearly interpolated in RGB between the control points.
    private static func setViridis() {
        c_plscmap1n(256)
        var positions = viridis.indices.map { Double($0) / Double(viridis.count - 1) }
        var r = viridis.map { Double($0.r) / 255 }, g = viridis.map { Double($0.g) / 255 }, b = viridis.map { Double($0.b) / 255 }
        c_plscmap1l(1, Int32(viridis.count), &positions, &r, &g, &b, nil)
    }
}
