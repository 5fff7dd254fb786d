import CPLplot

/// Draws prepared series inside the current viewport/window (PLplot lock held).
struct SeriesDrawer {
    /// Design sizes in points / em.
    static let seriesLineWidth = 1.8
    static let whiskerWidth = 1.2
    static let outlineWidth = 0.7
    static let markerScale = 0.72
    static let capHalfWidthEm = 0.3

    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    var metrics: DeviceMetrics
    /// Viewport width in base em, to size error-bar caps.
    var viewportWidthEm: Double

    /// Bottom of bars/histograms: 0 when visible on a linear axis, else the window bottom.
    func base(log: Bool) -> Double { log ? y.lowerBound : Clipping.clamp(0, to: y) }

    func draw(_ series: PreparedSeries, yIsLog: Bool) {
        let style = series.style
        PL.color(style.color)
        switch series.geometry {
        case .xy(let runs, let mode):
            if mode != .markers { lines(runs, style: style, dash: style.dash) }
            if mode != .line { markers(runs.flatMap { $0 }, style: style) }
        case .density(let runs):
            lines(runs, style: style, dash: style.dash)
        case .errorBars(let points, let connect):
            if connect { lines([points.map { Point(x: $0.x, y: $0.y) }], style: style, dash: style.dash, widthFactor: 0.75) }
            PL.color(style.color)
            whiskers(points.map { ($0.x, $0.y, $0.low, $0.high) })
            markers(points.map { Point(x: $0.x, y: $0.y) }, style: style)
        case .histogram(let runs, let filled):
            histogram(runs, filled: filled, style: style, base: base(log: yIsLog))
        case .bars(let bars, _):
            self.bars(bars, base: base(log: yIsLog))
        }
        c_pllsty(1)
    }

    private func lines(_ runs: [[Point]], style: ResolvedStyle, dash: LineDash, widthFactor: Double = 1) {
        PL.color(style.color)
        PL.width(metrics.lineWidth(Self.seriesLineWidth * style.lineWidth * widthFactor))
        c_pllsty(dash.plplotStyle)
        for run in runs {
            for piece in Clipping.polyline(run, x: x, y: y) { PL.line(piece) }
        }
        c_pllsty(1)
    }

    private func markers(_ points: [Point], style: ResolvedStyle) {
        let visible = points.filter { Clipping.contains($0, x: x, y: y) }
        PL.color(style.color)
        PL.width(metrics.lineWidth(1))
        PL.scale(Self.markerScale * style.marker.relativeSize)
        PL.glyphs(visible, style.marker.glyph)
        PL.scale(1)
    }

    /// Vertical bars with caps; a lower end of -inf runs to the window bottom without a cap.
    private func whiskers(_ bars: [(x: Double, y: Double, low: Double?, high: Double?)]) {
        PL.width(metrics.lineWidth(Self.whiskerWidth))
        let cap = Self.capHalfWidthEm / max(viewportWidthEm, 1) * (x.upperBound - x.lowerBound)
        for bar in bars where x.contains(bar.x) {
            for end in [bar.low, bar.high].compactMap({ $0 }) {
                let from = Clipping.clamp(bar.y, to: y)
                let to = Clipping.clamp(end, to: y)
                guard from != to else { continue }
                c_pljoin(bar.x, from, bar.x, to)
                if end.isFinite, y.contains(end) {
                    c_pljoin(max(bar.x - cap, x.lowerBound), end, min(bar.x + cap, x.upperBound), end)
                }
            }
        }
    }

    private func histogram(_ runs: [[Bin]], filled: Bool, style: ResolvedStyle, base: Double) {
        if filled {
            PL.color(style.fill)
            for bin in runs.joined() {
                if let box = clippedBox(bin.lo, bin.hi, base, bin.height) { PL.fill(box) }
            }
        }
        PL.color(style.color)
        PL.width(metrics.lineWidth(Self.seriesLineWidth * 0.7 * style.lineWidth))
        for run in runs {
            var path: [Point] = [Point(x: run[0].lo, y: base)]
            for bin in run {
                path.append(Point(x: bin.lo, y: bin.height))
                path.append(Point(x: bin.hi, y: bin.height))
            }
            path.append(Point(x: run[run.count - 1].hi, y: base))
            for piece in Clipping.polyline(path, x: x, y: y) { PL.line(piece) }
        }
    }

    private func bars(_ bars: [PreparedBar], base: Double) {
        for bar in bars {
            guard let box = clippedBox(bar.center - bar.width / 2, bar.center + bar.width / 2, base, bar.value) else { continue }
            PL.color(bar.style.color)
            PL.fill(box)
            PL.color(ColorMap.foreground)
            PL.width(metrics.lineWidth(Self.outlineWidth))
            PL.line(box + [box[0]])
        }
        PL.color(ColorMap.foreground)
        whiskers(bars.filter { $0.low != nil || $0.high != nil }.map { ($0.center, $0.value, $0.low, $0.high) })
    }

    /// Corners of the rectangle [x0, x1] × [y0, y1] clipped to the window, or nil if empty.
    private func clippedBox(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> [Point]? {
        let left = Clipping.clamp(min(x0, x1), to: x)
        let right = Clipping.clamp(max(x0, x1), to: x)
        let bottom = Clipping.clamp(min(y0, y1), to: y)
        let top = Clipping.clamp(max(y0, y1), to: y)
        guard right > left, top > bottom else { return nil }
        return [Point(x: left, y: bottom), Point(x: left, y: top), Point(x: right, y: top), Point(x: right, y: bottom)]
    }
}
