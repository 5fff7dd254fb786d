import Foundation

/// Chooses an axis window (in window coordinates, i.e. log10 of the data on log axes).
///
/// Contract: the result is always finite with `lowerBound < upperBound`, whatever the
/// input (no values, one value, all-equal values, an unusable explicit range).
enum AxisFitting {
    /// Fraction of the data span added on each side of a fitted linear axis.
    static let padding = 0.05

    /// - Parameter padding: fraction of the data span added on each side of a fitted axis
    ///   (not below a zero baseline of bars/histograms).
    /// - Parameter outlying: values on a log axis that may be left outside the window when
    ///   they lie far from the bulk (``bulk(_:)``); `values` are always inside.
    static func window(
        values: [Double], scale: AxisScale, explicit: ClosedRange<Double>?, includeZero: Bool = false,
        padding: Double = padding, outlying: [Double] = []
    ) -> ClosedRange<Double> {
        if let explicit, let window = explicitWindow(explicit, scale: scale) { return window }
        var finite = values.filter(\.isFinite)
        let candidates = outlying.filter(\.isFinite)
        if scale == .log10, let kept = bulk(candidates) {
            finite += candidates.filter { kept.contains($0) }
        } else {
            finite += candidates
        }
        guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
        switch scale {
        case .linear: return linear(lo: lo, hi: hi, includeZero: includeZero, padding: padding)
        case .log10: return logarithmic(lo: lo, hi: hi, padding: padding)
        }
    }

    /// Tukey's outer ("far out") fences on log10 values: the quartiles q₁, q₃ and the spread
    /// s = max(q₃ − q₁, 1 decade); values in [q₁ − 3 s, q₃ + 3 s] are the bulk, the rest
    /// outliers — at least three decades beyond the middle half of the data. A log axis fitted
    /// to the bulk keeps one diverged chain at 10¹³ from squeezing every other curve into two
    /// decades, while data that spans many decades evenly (b² against h) keeps all of it. Nil
    /// without finite values.
    static func bulk(_ values: [Double]) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        func quantile(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
        }
        let q1 = quantile(0.25), q3 = quantile(0.75)
        let spread = max(q3 - q1, 1)
        return max(sorted[0], q1 - 3 * spread)...min(sorted[sorted.count - 1], q3 + 3 * spread)
    }

    /// The explicit range transformed to window coordinates, or nil if it is not usable.
    static func explicitWindow(_ range: ClosedRange<Double>, scale: AxisScale) -> ClosedRange<Double>? {
        let transform = AxisTransform(scale: scale)
        guard case .value(let lo) = transform.apply(range.lowerBound),
              case .value(let hi) = transform.apply(range.upperBound),
              hi > lo, (hi - lo).isFinite
        else { return nil }
        return lo...hi
    }

    static func linear(lo dataLo: Double, hi dataHi: Double, includeZero: Bool, padding: Double = padding) -> ClosedRange<Double> {
        var lo = includeZero ? min(dataLo, 0) : dataLo
        var hi = includeZero ? max(dataHi, 0) : dataHi
        let span = hi - lo
        if !(span > 1e-12 * max(abs(lo), abs(hi))) {
            let center = (lo + hi) / 2
            let half = center == 0 ? 1 : abs(center) * 0.1
            return (center - half)...(center + half)
        }
        // Bars and histograms stand on the axis: no padding below a zero baseline.
        if !(includeZero && lo == 0) { lo -= padding * span }
        if !(includeZero && hi == 0) { hi += padding * span }
        return lo...hi
    }

    /// Log axes: tight (padded) when the data spans two or more decade marks, otherwise
    /// widened to whole decades so that at least two decades are labelled.
    static func logarithmic(lo dataLo: Double, hi dataHi: Double, padding: Double = padding) -> ClosedRange<Double> {
        let span = dataHi - dataLo
        if span >= 1 {
            let lo = dataLo - padding * span
            let hi = dataHi + padding * span
            if floor(hi) - ceil(lo) >= 1 { return lo...hi }
        }
        var lo = floor(dataLo)
        var hi = ceil(dataHi)
        if hi - lo < 1 {
            lo -= 1
            hi += 1
        } else {
            // Data exactly on a decade would sit on the frame: give it some air.
            if dataLo - lo < 0.02 * (hi - lo) { lo -= 0.05 * (hi - lo) }
            if hi - dataHi < 0.02 * (hi - lo) { hi += 0.05 * (hi - lo) }
        }
        return lo...hi
    }
}
