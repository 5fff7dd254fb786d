/// Samples of where a panel's data is drawn, in normalised viewport coordinates (0…1),
/// used to put the legend where it hides the least.
enum Occupancy {
    static let resolution = 0.01

    static func samples(_ data: PanelData, x: ClosedRange<Double>, y: ClosedRange<Double>) -> [Point] {
        let sx = 1 / (x.upperBound - x.lowerBound)
        let sy = 1 / (y.upperBound - y.lowerBound)
        func n(_ p: Point) -> Point { Point(x: (p.x - x.lowerBound) * sx, y: (p.y - y.lowerBound) * sy) }
        let base = y.lowerBound
        var out: [Point] = []
        func segment(_ a: Point, _ b: Point) {
            let (na, nb) = (n(a), n(b))
            let length = max(abs(nb.x - na.x), abs(nb.y - na.y))
            let steps = Int(min(200, max(1, (length / resolution).rounded(.up))))
            for i in 0...steps {
                let t = Double(i) / Double(steps)
                out.append(Point(x: na.x + (nb.x - na.x) * t, y: na.y + (nb.y - na.y) * t))
            }
        }
        func area(x0: Double, x1: Double, top: Double) {
            let (a, b) = (n(Point(x: x0, y: min(base, top))), n(Point(x: x1, y: max(base, top))))
            let (ax, bx) = (max(0, min(a.x, 1)), max(0, min(b.x, 1)))
            let (ay, by) = (max(0, min(a.y, 1)), max(0, min(b.y, 1)))
            var px = ax
            while px <= bx {
                var py = ay
                while py <= by { out.append(Point(x: px, y: py)); py += 2 * resolution }
                px += 2 * resolution
            }
        }
        for series in data.series {
            switch series.geometry {
            case .xy(let runs, _), .density(let runs):
                for run in runs {
                    if run.count == 1 { out.append(n(run[0])) }
                    for (a, b) in zip(run, run.dropFirst()) { segment(a, b) }
                }
            case .errorBars(let points, _):
                for p in points {
                    out.append(n(Point(x: p.x, y: p.y)))
                    let low = p.low.map { $0.isFinite ? $0 : base } ?? p.y
                    segment(Point(x: p.x, y: low), Point(x: p.x, y: p.high ?? p.y))
                }
            case .bars(let bars, _):
                for bar in bars {
                    area(x0: bar.center - bar.width / 2, x1: bar.center + bar.width / 2, top: bar.value)
                    if let high = bar.high { segment(Point(x: bar.center, y: bar.value), Point(x: bar.center, y: high)) }
                }
            case .histogram(let runs, let filled):
                for bin in runs.joined() {
                    if filled { area(x0: bin.lo, x1: bin.hi, top: bin.height) }
                    segment(Point(x: bin.lo, y: bin.height), Point(x: bin.hi, y: bin.height))
                }
            }
        }
        return out.filter { (0...1).contains($0.x) && (0...1).contains($0.y) }
    }

    /// Number of samples inside the legend box placed in `corner`; `width`/`height` and
    /// `insetX`/`insetY` are fractions of the viewport.
    static func count(_ samples: [Point], corner: Corner, width: Double, height: Double, insetX: Double, insetY: Double) -> Int {
        let box = rect(corner: corner, width: width, height: height, insetX: insetX, insetY: insetY)
        return samples.count { box.x0 <= $0.x && $0.x <= box.x1 && box.y0 <= $0.y && $0.y <= box.y1 }
    }

    static func rect(corner: Corner, width: Double, height: Double, insetX: Double, insetY: Double) -> Rect {
        let right = corner == .topRight || corner == .bottomRight
        let top = corner == .topRight || corner == .topLeft
        // A little slack around the box so that data touching it also counts.
        let pad = 0.01
        let x0 = right ? 1 - insetX - width - pad : insetX - pad
        let y0 = top ? 1 - insetY - height - pad : insetY - pad
        return Rect(x0: x0, x1: x0 + width + 2 * pad, y0: y0, y1: y0 + height + 2 * pad)
    }
}
