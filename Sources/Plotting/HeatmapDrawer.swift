import CPLplot

/// Draws a heatmap panel (PLplot lock held): the title wrapped over the panel's width, row
/// labels on the left, column labels under the grid (upright when they fit, else vertical),
/// each cell filled from colour map 1 (set to viridis here) with its text in black or white for
/// contrast; on the right the colour bar (better end on top, its label along it); above the
/// grid, under the title, the key for grey (no value), hatched (failed) and corner-marked
/// (warn) cells.
enum HeatmapDrawer {
    /// Viridis at 8 control points (matplotlib's table, evenly spaced).
    static let viridis: [(r: Int32, g: Int32, b: Int32)] = [
        (68, 1, 84), (70, 50, 127), (54, 92, 141), (39, 127, 142),
        (31, 161, 135), (74, 194, 109), (159, 218, 58), (253, 231, 37),
    ]

    /// Key texts, by mark (nil: no value).
    static func keyText(_ mark: Heatmap.CellMark?) -> String {
        switch mark {
        case nil: "no value"
        case .fail?: "failed: not a result"
        case .warn?: "warn: read with care"
        case .none?: "result"
        }
    }

    static let keyScale = 0.85

    static func draw(title: String, heatmap: Heatmap, cell: Rect, metrics: DeviceMetrics) {
        let rows = heatmap.rowLabels.count, columns = heatmap.columnLabels.count
        guard rows > 0, columns > 0, heatmap.cells.count == rows, heatmap.cells.allSatisfy({ $0.count == columns }) else {
            TextPanelDrawer.draw(title: title, lines: ["(empty heatmap)"], cell: cell, metrics: metrics)
            return
        }
        let cellWidthEmTotal = cell.width * metrics.pageWidthMM / metrics.emMM
        let titleLines = title.isEmpty ? [] : TextMetrics.wrap(title, toWidth: cellWidthEmTotal / ChartPlan.Spacing.titleScale - 0.5)
        let titleEm = titleLines.isEmpty ? 0.3 : 0.3 + Double(titleLines.count) * ChartPlan.Spacing.titleLineStep
        let keyEm = 1.7
        let bar = heatmap.colourBar
        let tickWidth = bar?.ticks.map { TextMetrics.width($0.text) }.max() ?? 0
        let rightEm = 1.2 + 1.2 + 0.6 + tickWidth + 2.2
        let rowLabelEm = (heatmap.rowLabels.map { TextMetrics.width($0) }.max() ?? 0) + 1
        let cellWidthEm = (cellWidthEmTotal - rowLabelEm - rightEm) / Double(columns)
        let upright = heatmap.columnLabels.allSatisfy { TextMetrics.width($0) < cellWidthEm - 0.3 }
        let columnLabelEm = upright ? 2.0 : min((heatmap.columnLabels.map { TextMetrics.width($0) }.max() ?? 0) + 1, 18)
        let area = cell.inset(left: metrics.horizontal(rowLabelEm), right: metrics.horizontal(rightEm),
                              bottom: metrics.vertical(columnLabelEm), top: metrics.vertical(titleEm + keyEm + 0.3))
        guard area.width > 0.01, area.height > 0.01 else { return }
        drawTitle(titleLines, cell: cell, metrics: metrics)
        drawKey(heatmap.keyEntries, in: Rect(x0: area.x0, x1: cell.x1, y0: area.y1 + metrics.vertical(0.3),
                                             y1: area.y1 + metrics.vertical(0.3 + keyEm)), metrics: metrics)
        c_plvpor(area.x0, area.x1, area.y0, area.y1)
        c_plwind(0, Double(columns), 0, Double(rows))
        setViridis()
        let fractions = heatmap.fractions()
        let cellHeightEm = area.height * metrics.pageHeightMM / metrics.emMM / Double(rows)
        // One text scale for every cell: the height allows it, and the widest first line fits
        // (down to 60 %; wider texts are shortened with "…").
        let widest = heatmap.cells.flatMap { $0.map { TextMetrics.width(String($0.text.split(separator: "\n").first ?? "")) } }.max() ?? 0
        let textScale = max(0.6, min(1, cellHeightEm / 1.6, (cellWidthEm - 0.4) / max(widest, 0.1)))
        for r in 0..<rows {
            let y0 = Double(rows - 1 - r)  // first row on top
            for c in 0..<columns {
                let x0 = Double(c)
                let entry = heatmap.cells[r][c]
                fillCell(x0: x0, y0: y0, width: 1, height: 1, fraction: fractions[r][c], mark: entry.mark, metrics: metrics)
                let dark = entry.mark != .fail && fractions[r][c].map { $0 < 0.6 } == true
                PL.color(dark ? ColorMap.background : ColorMap.foreground)
                var lines = entry.text.split(separator: "\n").map(String.init)
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
        let right = Rect(x0: area.x1 + metrics.horizontal(1.2), x1: cell.x1, y0: area.y0, y1: area.y1)
        if let bar { drawColourBar(bar, in: right, tickWidth: tickWidth, metrics: metrics) }
    }

    /// The title's lines from the cell's top left, over the whole cell width.
    private static func drawTitle(_ lines: [String], cell: Rect, metrics: DeviceMetrics) {
        guard !lines.isEmpty else { return }
        c_plvpor(cell.x0, cell.x1, cell.y0, cell.y1)
        c_plwind(0, 1, 0, 1)
        PL.color(ColorMap.foreground)
        PL.scale(ChartPlan.Spacing.titleScale)
        for (k, line) in lines.enumerated() {
            let disp = -(1.0 + Double(k) * ChartPlan.Spacing.titleLineStep)
            c_plmtex("t", disp / ChartPlan.Spacing.titleScale, 0, 0, TextMetrics.escape(line))
        }
        PL.scale(1)
    }

    /// One cell in window coordinates: its colour, grey without a value; a failed cell white
    /// with grey hatching; a warn cell with a white corner triangle.
    static func fillCell(x0: Double, y0: Double, width: Double, height: Double, fraction: Double?,
                         mark: Heatmap.CellMark, metrics: DeviceMetrics) {
        let square = [Point(x: x0, y: y0), Point(x: x0 + width, y: y0), Point(x: x0 + width, y: y0 + height), Point(x: x0, y: y0 + height)]
        if mark == .fail {
            PL.color(ColorMap.background)
            PL.fill(square)
            PL.color(ColorMap.legendFrame)
            PL.width(metrics.lineWidth(0.6))
            var inclination: [Int32] = [450], spacing: [Int32] = [1200]
            c_plpat(1, &inclination, &spacing)
            PL.fill(square)
            c_plpsty(0)
            return
        }
        if let fraction { c_plcol1(fraction) } else { PL.color(ColorMap.grid) }
        PL.fill(square)
        if mark == .warn {
            let s = 0.28
            let corner = [Point(x: x0 + width * (1 - s), y: y0 + height), Point(x: x0 + width, y: y0 + height),
                          Point(x: x0 + width, y: y0 + height * (1 - s))]
            PL.color(ColorMap.background)
            PL.fill(corner)
            PL.color(ColorMap.foreground)
            PL.width(metrics.lineWidth(0.6))
            PL.line(corner + [corner[0]])
        }
    }

    /// The colour bar over the height of `column`: better end on top, ticks on its right,
    /// the label along its right side, "better" above and "worse" below.
    private static func drawColourBar(_ bar: Heatmap.ColourBar, in column: Rect, tickWidth: Double, metrics: DeviceMetrics) {
        let rect = Rect(x0: column.x0, x1: column.x0 + metrics.horizontal(1.2),
                        y0: column.y0 + metrics.vertical(1.6), y1: column.y1 - metrics.vertical(1.4))
        guard rect.height > metrics.vertical(3) else { return }
        c_plvpor(rect.x0, rect.x1, rect.y0, rect.y1)
        c_plwind(0, 1, 0, 1)
        let strips = 128
        for k in 0..<strips {
            let f0 = Double(k) / Double(strips), f1 = Double(k + 1) / Double(strips)
            c_plcol1((f0 + f1) / 2)
            PL.fill([Point(x: 0, y: f0), Point(x: 1, y: f0), Point(x: 1, y: f1), Point(x: 0, y: f1)])
        }
        PL.color(ColorMap.foreground)
        PL.width(metrics.lineWidth(0.6))
        c_plbox("bc", 0, 0, "bc", 0, 0)
        for tick in bar.ticks {
            c_pljoin(0.65, tick.position, 1, tick.position)
            c_plmtex("rv", 0.5, tick.position, 0, tick.text)
        }
        PL.scale(keyScale)
        c_plmtex("t", 0.5 / keyScale, 0.5, 0.5, "better")
        c_plmtex("b", 1.1 / keyScale, 0.5, 0.5, "worse")
        PL.scale(1)
        if !bar.label.isEmpty {
            let room = rect.height * metrics.pageHeightMM / metrics.emMM + 2
            c_plmtex("r", 1.2 + tickWidth, 0.5, 0.5, TextMetrics.escape(TextMetrics.truncate(bar.label, toWidth: room)))
        }
    }

    /// The key in one line across `band`: per entry a swatch drawn as such cells are, and its text.
    private static func drawKey(_ entries: [Heatmap.CellMark?], in band: Rect, metrics: DeviceMetrics) {
        let widthEm = band.width * metrics.pageWidthMM / metrics.emMM
        let heightEm = band.height * metrics.pageHeightMM / metrics.emMM
        guard widthEm > 3, heightEm > 1 else { return }
        c_plvpor(band.x0, band.x1, band.y0, band.y1)
        c_plwind(0, widthEm, 0, heightEm)
        var x = 0.0
        let y0 = (heightEm - 1.0) / 2
        PL.scale(keyScale)
        for mark in entries {
            fillCell(x0: x, y0: y0, width: 1.3, height: 1.0, fraction: nil, mark: mark ?? .none, metrics: metrics)
            PL.color(ColorMap.foreground)
            PL.width(metrics.lineWidth(0.5))
            PL.line([Point(x: x, y: y0), Point(x: x + 1.3, y: y0), Point(x: x + 1.3, y: y0 + 1), Point(x: x, y: y0 + 1), Point(x: x, y: y0)])
            c_plptex(x + 1.7, y0 + 0.25, 1, 0, 0, TextMetrics.escape(keyText(mark)))
            x += 1.7 + keyScale * TextMetrics.width(keyText(mark)) + 1.8
        }
        PL.scale(1)
    }

    /// Colour map 1 = viridis, linearly interpolated in RGB between the control points.
    private static func setViridis() {
        c_plscmap1n(256)
        var positions = viridis.indices.map { Double($0) / Double(viridis.count - 1) }
        var r = viridis.map { Double($0.r) / 255 }, g = viridis.map { Double($0.g) / 255 }, b = viridis.map { Double($0.b) / 255 }
        c_plscmap1l(1, Int32(viridis.count), &positions, &r, &g, &b, nil)
    }
}
