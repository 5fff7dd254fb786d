import CPLplot

/// Draws a text panel: optional title, then monospaced lines from the top left, shrunk
/// to fit (down to half size), then shortened with "…" (PLplot lock held). Text that must
/// not be cut goes through `Page.textPages`, which splits it to the `capacity` computed here.
enum TextPanelDrawer {
    static let lineHeight = 1.7
    static let minimumScale = 0.5

    /// Lines to draw and their font scale for an area of `widthEm` × `heightEm` base em.
    static func fit(_ lines: [String], widthEm: Double, heightEm: Double) -> (lines: [String], scale: Double) {
        let longest = lines.map { Double($0.count) * TextMetrics.monoAdvance }.max() ?? 0
        var scale = min(1, heightEm / (Double(max(lines.count, 1)) * lineHeight), widthEm / max(longest, 1))
        scale = max(scale, minimumScale)
        // The epsilon keeps n lines at the scale chosen for n lines from counting as n − 1.
        let capacity = max(1, Int(heightEm / (lineHeight * scale) + 1e-9))
        var shown = lines
        if shown.count > capacity {
            shown = Array(shown.prefix(capacity - 1)) + ["… (\(lines.count - capacity + 1) more lines)"]
        }
        let maxWidth = widthEm / scale
        return (shown.map { TextMetrics.truncate($0, toWidth: maxWidth, mono: true) }, scale)
    }

    /// Where the lines of a text panel go in its cell: inside a margin of half an em, below
    /// the panel title when there is one.
    static func textArea(cell: Rect, hasTitle: Bool, metrics: DeviceMetrics) -> Rect {
        cell.inset(left: metrics.horizontal(0.5), right: metrics.horizontal(0.5),
                   bottom: metrics.vertical(0.5), top: metrics.vertical(hasTitle ? 2.3 : 0.5))
    }

    /// The size of `area` in base em, as `fit` takes it.
    static func extent(of area: Rect, metrics: DeviceMetrics) -> (widthEm: Double, heightEm: Double) {
        (area.width * metrics.pageWidthMM / metrics.emMM, area.height * metrics.pageHeightMM / metrics.emMM)
    }

    /// The most lines, and the longest line in characters, that `fit` shows whole (neither
    /// cut nor shortened) in an area of `widthEm` × `heightEm`: the capacity at the minimum
    /// scale, less one character of slack for the width estimate's rounding.
    static func capacity(widthEm: Double, heightEm: Double) -> (lines: Int, characters: Int) {
        (max(1, Int(heightEm / (lineHeight * minimumScale) + 1e-9)),
         max(1, Int(widthEm / (TextMetrics.monoAdvance * minimumScale)) - 1))
    }

    static func draw(title: String, lines: [String], cell: Rect, metrics: DeviceMetrics) {
        let area = textArea(cell: cell, hasTitle: !title.isEmpty, metrics: metrics)
        guard area.width > 0, area.height > 0 else { return }
        c_plvpor(area.x0, area.x1, area.y0, area.y1)
        c_plwind(0, 1, 0, 1)
        PL.color(ColorMap.foreground)
        if !title.isEmpty {
            PL.scale(ChartPlan.Spacing.titleScale)
            let room = area.width * metrics.pageWidthMM / metrics.emMM / ChartPlan.Spacing.titleScale
            c_plmtex("t", 1.0, 0, 0, TextMetrics.escape(TextMetrics.truncate(title, toWidth: room)))
            PL.scale(1)
        }
        let (widthEm, heightEm) = extent(of: area, metrics: metrics)
        let (shown, scale) = fit(lines, widthEm: widthEm, heightEm: heightEm)
        PL.withFont(PLplotSession.monoFont) {
            PL.scale(scale)
            for (index, line) in shown.enumerated() {
                let y = 1 - (Double(index) + 0.5) * lineHeight * scale / heightEm
                c_plptex(0, y, 1, 0, 0, TextMetrics.escape(line))
            }
            PL.scale(1)
        }
    }
}
