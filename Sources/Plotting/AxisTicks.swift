import Foundation

/// A tick label at a window coordinate. `text` is PLplot markup (may contain `#u…#d`).
struct TickLabel: Hashable, Sendable {
    var position: Double
    var text: String
}

/// Major tick spacing, minor subdivisions and the labels of one numeric axis.
///
/// PLplot draws the ticks (`plbox` with `step`/`minor`, and its "l" option on log axes);
/// the labels are drawn by the renderer itself so that their widths are known for layout.
struct AxisTicks: Hashable, Sendable {
    var step: Double
    var minor: Int32
    var isLog: Bool
    var labels: [TickLabel]
    /// Labels show value / 10^exponent; the axis label then gets " (×10^exponent)".
    var multiplierExponent: Int? = nil

    /// The axis label with the common multiplier appended (PLplot markup; `label` is
    /// escaped here).
    func decoratedLabel(_ label: String) -> String {
        let escaped = TextMetrics.escape(label)
        guard let exponent = multiplierExponent else { return escaped }
        let multiplier = "×10#u\(Self.withMinus(String(exponent)))#d"
        return escaped.isEmpty ? multiplier : escaped + " (" + multiplier + ")"
    }

    /// Estimated widest label, in em.
    var maxLabelWidth: Double { labels.map { TextMetrics.width($0.text) }.max() ?? 0 }
    /// Estimated sum of all label widths, in em.
    var totalLabelWidth: Double { labels.map { TextMetrics.width($0.text) }.reduce(0, +) }

    static func make(_ window: ClosedRange<Double>, scale: AxisScale, target: Int) -> AxisTicks {
        scale == .log10 ? logarithmic(window, target: target) : linear(window, target: target)
    }

    /// "Nice" step 1, 2 or 5 × 10^k giving about `target` intervals over `span`.
    static func niceStep(span: Double, target: Int) -> Double {
        let raw = span / Double(max(target, 1))
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * magnitude
    }

    static func multiples(of step: Double, in window: ClosedRange<Double>) -> [Double] {
        let first = ceil(window.lowerBound / step - 1e-9)
        let last = floor(window.upperBound / step + 1e-9)
        guard first <= last, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { k in
            let value = k * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    static func linear(_ window: ClosedRange<Double>, target: Int) -> AxisTicks {
        let step = niceStep(span: window.upperBound - window.lowerBound, target: target)
        let mantissa = (step / pow(10, floor(log10(step)))).rounded()
        let minor: Int32 = mantissa == 2 ? 4 : 5
        let values = multiples(of: step, in: window)
        let stepExponent = Int(floor(log10(step) + 1e-9))
        let maxAbs = values.map(abs).max() ?? 0
        // Very large or very small values: a common ×10^E multiplier moves to the axis label.
        var exponent: Int?
        if maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3) {
            exponent = Int(floor(log10(maxAbs) + 1e-9))
        }
        let scale = pow(10, Double(exponent ?? 0))
        let decimals = max(0, (exponent ?? 0) - stepExponent)
        let labels = values.map { value in
            TickLabel(position: value, text: value == 0 ? "0" : withMinus(String(format: "%.\(decimals)f", value / scale)))
        }
        return AxisTicks(step: step, minor: minor, isLog: false, labels: labels, multiplierExponent: exponent)
    }

    static func logarithmic(_ window: ClosedRange<Double>, target: Int) -> AxisTicks {
        let span = window.upperBound - window.lowerBound
        let step = max(1, niceStep(span: span, target: target).rounded())
        let exponents = multiples(of: step, in: window).map { Int($0.rounded()) }
        let plain = exponents.allSatisfy { (-3...4).contains($0) }
        let labels = exponents.map { TickLabel(position: Double($0), text: formatPowerOfTen($0, plain: plain)) }
        return AxisTicks(step: step, minor: step == 1 ? 0 : Int32(step), isLog: true, labels: labels)
    }

    static func formatPowerOfTen(_ exponent: Int, plain: Bool) -> String {
        guard plain else { return "10#u\(minusSign(exponent))#d" }
        if exponent >= 0 { return "1" + String(repeating: "0", count: exponent) }
        return "0." + String(repeating: "0", count: -exponent - 1) + "1"
    }

    private static func minusSign(_ value: Int) -> String { withMinus(String(value)) }

    /// Replaces an ASCII hyphen-minus sign with the typographic minus "−".
    static func withMinus(_ text: String) -> String {
        text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
