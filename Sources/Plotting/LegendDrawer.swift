import CPLplot

/// Draws a ``LegendPlan`` with `pllegend` relative to the current viewport (lock held).
enum LegendDrawer {
    /// `belowOffset`: distance (em) from the frame's bottom edge to a legend placed below.
    static func draw(_ plan: LegendPlan, viewport: Rect, belowOffset: Double, metrics: DeviceMetrics) {
        let entries = plan.entries
        guard !entries.isEmpty else { return }
        let vpWidthEm = viewport.width * metrics.pageWidthMM / metrics.emMM
        let vpHeightEm = viewport.height * metrics.pageHeightMM / metrics.emMM

        var position = PL_POSITION_VIEWPORT
        var offsetX = LegendPlan.inset / vpWidthEm
        var offsetY = LegendPlan.inset / vpHeightEm
        switch plan.placement {
        case .inside(let corner):
            position |= PL_POSITION_INSIDE
            switch corner {
            case .topRight: position |= PL_POSITION_TOP | PL_POSITION_RIGHT
            case .topLeft: position |= PL_POSITION_TOP | PL_POSITION_LEFT
            case .bottomRight: position |= PL_POSITION_BOTTOM | PL_POSITION_RIGHT
            case .bottomLeft: position |= PL_POSITION_BOTTOM | PL_POSITION_LEFT
            }
        case .outsideRight:
            position |= PL_POSITION_OUTSIDE | PL_POSITION_RIGHT | PL_POSITION_TOP
            offsetX = 0.6 / vpWidthEm
            offsetY = 0
        case .below:
            position |= PL_POSITION_OUTSIDE | PL_POSITION_BOTTOM
            offsetX = 0
            offsetY = belowOffset / vpHeightEm
        }
        var columns: Int32 = 1
        var rows = Int32(entries.count)
        var legendOptions = PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX
        if case .below(let count) = plan.placement {
            columns = Int32(max(1, count))
            rows = (Int32(entries.count) + columns - 1) / columns
            legendOptions |= PL_LEGEND_ROW_MAJOR
        }

        var options: [Int32] = []
        var boxColors: [Int32] = [], lineColors: [Int32] = [], symbolColors: [Int32] = []
        var lineStyles: [Int32] = [], lineWidths: [Double] = [], symbolScales: [Double] = []
        var symbols: [String] = []
        for entry in entries {
            var option: Int32 = 0
            var lineStyle: Int32 = 1, lineWidth = 0.0, symbolScale = 0.0, symbol = ""
            var box = entry.color
            switch entry.sample {
            case let .line(dash, width):
                option = PL_LEGEND_LINE
                (lineStyle, lineWidth) = (dash.plplotStyle, width)
            case let .symbol(marker):
                option = PL_LEGEND_SYMBOL
                (symbol, symbolScale) = (marker.glyph, marker.relativeSize)
            case let .lineAndSymbol(dash, width, marker):
                option = PL_LEGEND_LINE | PL_LEGEND_SYMBOL
                (lineStyle, lineWidth, symbol, symbolScale) = (dash.plplotStyle, width, marker.glyph, marker.relativeSize)
            case let .box(fill):
                option = PL_LEGEND_COLOR_BOX
                box = fill
            }
            options.append(option)
            boxColors.append(box)
            lineColors.append(entry.color)
            symbolColors.append(entry.color)
            lineStyles.append(lineStyle)
            lineWidths.append(metrics.lineWidth(SeriesDrawer.seriesLineWidth * max(lineWidth, 0.5)))
            symbolScales.append(SeriesDrawer.markerScale * max(symbolScale, 0.5) / LegendPlan.textScale)
            symbols.append(symbol.isEmpty ? " " : symbol)
        }
        let n = Int32(entries.count)
        var textColors = [Int32](repeating: ColorMap.foreground, count: entries.count)
        var boxPatterns = [Int32](repeating: 0, count: entries.count)
        var boxScales = [Double](repeating: 0.8, count: entries.count)
        var boxLineWidths = [Double](repeating: metrics.lineWidth(0.5), count: entries.count)
        var symbolNumbers = [Int32](repeating: 1, count: entries.count)
        var width = 0.0, height = 0.0
        PL.width(metrics.lineWidth(0.6))
        PL.withCStrings(entries.map { TextMetrics.escape($0.text) }) { texts in
            PL.withCStrings(symbols) { glyphs in
                c_pllegend(
                    &width, &height,
                    legendOptions, position, offsetX, offsetY,
                    LegendPlan.sampleWidth * LegendPlan.textScale / vpWidthEm,
                    ColorMap.background, ColorMap.legendFrame, 1,
                    rows, columns, n, &options,
                    LegendPlan.textOffset, LegendPlan.textScale, LegendPlan.spacing, 0,
                    &textColors, texts,
                    &boxColors, &boxPatterns, &boxScales, &boxLineWidths,
                    &lineColors, &lineStyles, &lineWidths,
                    &symbolColors, &symbolScales, &symbolNumbers, glyphs)
            }
        }
        c_pllsty(1)
    }
}
