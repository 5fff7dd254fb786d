import Foundation

/// Number formatting shared by the report's tables and labels.
enum ReportFormat {
    /// Four significant digits, scientific when very small or large; "—" for undefined.
    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        if x == 0 { return "0" }
        if abs(x) >= 1e-3 && abs(x) < 1e5 { return String(format: "%.4g", x) }
        return String(format: "%.3e", x)
    }

    /// Three significant digits in the shortest form ("6.7e-05", "0.0396"), for tight spaces.
    static func compact(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: "%.3g", x)
    }

    /// "mean [min, max]" over seeds, or the single value for one seed.
    static func spread(_ s: (mean: Double, low: Double, high: Double, seeds: Int)?) -> String {
        guard let s else { return "—" }
        return s.seeds == 1 ? number(s.mean) : "\(number(s.mean)) [\(number(s.low)), \(number(s.high))]"
    }

    /// `text` with every decimal of more than four significant digits written to four
    /// ("R̂ 1.0366010297429795 > 1.01" → "R̂ 1.037 > 1.01"), for reasons stored with full
    /// precision.
    static func roundingNumbers(in text: String) -> String {
        let regex = /[0-9]+\.[0-9]+/
        return text.replacing(regex) { match in
            let digits = match.output.filter(\.isNumber).drop { $0 == "0" }.count
            guard digits > 4, let x = Double(match.output) else { return String(match.output) }
            return String(format: "%.4g", x)
        }
    }
}
