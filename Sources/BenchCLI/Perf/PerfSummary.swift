import Foundation

/// Repeated measurements of one quantity: the median is what `bench perf` reports, with the
/// minimum, maximum and median absolute deviation (MAD) beside it, because a shared machine's
/// timings are noisy and skewed upwards.
struct PerfSummary: Codable, Equatable, Sendable {
    let values: [Double]

    init(_ values: [Double]) {
        precondition(!values.isEmpty, "a summary needs at least one measurement")
        self.values = values
    }

    var median: Double { Self.median(values) }
    var min: Double { values.min()! }
    var max: Double { values.max()! }
    /// The median of |xᵢ − median| (unscaled).
    var mad: Double {
        let m = median
        return Self.median(values.map { abs($0 - m) })
    }

    /// The middle value, or the mean of the two middle values for an even count.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }

    /// The summary of `repetitions` calls of `measure` (each returns one measurement).
    static func repeating(_ repetitions: Int, _ measure: () throws -> Double) rethrows -> PerfSummary {
        var values: [Double] = []
        for _ in 0..<repetitions { values.append(try measure()) }
        return PerfSummary(values)
    }

    /// The same measurements scaled by `factor` (e.g. seconds to µs).
    func scaled(by factor: Double) -> PerfSummary { PerfSummary(values.map { $0 * factor }) }
}

/// Wall-clock seconds spent in `body` (monotonic clock).
func wallSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}
