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

    /// `text` broken into lines of at most `width` characters at spaces (a longer word keeps
    /// a line of its own).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
