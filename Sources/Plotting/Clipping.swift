/// Clips geometry to the axis window in Swift before it reaches PLplot, so that points
/// far outside an explicit range never overflow PLplot's integer device coordinates.
enum Clipping {
    /// Splits a polyline into the pieces inside `x` × `y` (Liang–Barsky per segment).
    static func polyline(_ points: [Point], x: ClosedRange<Double>, y: ClosedRange<Double>) -> [[Point]] {
        guard points.count > 1 else { return [] }
        var pieces: [[Point]] = []
        var current: [Point] = []
        for (a, b) in zip(points, points.dropFirst()) {
            guard let (ca, cb) = segment(a, b, x: x, y: y) else {
                if current.count > 1 { pieces.append(current) }
                current = []
                continue
            }
            if let last = current.last, last == ca {
                current.append(cb)
            } else {
                if current.count > 1 { pieces.append(current) }
                current = [ca, cb]
            }
        }
        if current.count > 1 { pieces.append(current) }
        return pieces
    }

    /// The part of segment a–b inside the window, or nil.
    static func segment(_ a: Point, _ b: Point, x: ClosedRange<Double>, y: ClosedRange<Double>) -> (Point, Point)? {
        let dx = b.x - a.x
        let dy = b.y - a.y
        var t0 = 0.0
        var t1 = 1.0
        let tests: [(Double, Double)] = [
            (-dx, a.x - x.lowerBound), (dx, x.upperBound - a.x),
            (-dy, a.y - y.lowerBound), (dy, y.upperBound - a.y),
        ]
        for (p, q) in tests {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                if t0 > t1 { return nil }
            }
        }
        let start = t0 == 0 ? a : Point(x: a.x + t0 * dx, y: a.y + t0 * dy)
        let end = t1 == 1 ? b : Point(x: a.x + t1 * dx, y: a.y + t1 * dy)
        return (start, end)
    }

    static func contains(_ p: Point, x: ClosedRange<Double>, y: ClosedRange<Double>) -> Bool {
        x.contains(p.x) && y.contains(p.y)
    }

    static func clamp(_ value: Double, to range: ClosedRange<Double>) -> Double {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
