/// A fixed-bin histogram filled one value at a time; values outside [lower, upper) are
/// counted as underflow/overflow, never dropped silently.
public struct StreamingHistogram: Codable, Sendable {
    public let lower: Double
    public let binWidth: Double
    public private(set) var counts: [Int]
    public private(set) var underflow = 0
    public private(set) var overflow = 0

    /// Bins of `binWidth` covering [lower, lower + bins · binWidth).
    public init(lower: Double, binWidth: Double, bins: Int) {
        precondition(binWidth > 0 && bins > 0)
        self.lower = lower
        self.binWidth = binWidth
        self.counts = [Int](repeating: 0, count: bins)
    }

    public var upper: Double { lower + Double(counts.count) * binWidth }
    public var total: Int { counts.reduce(0, +) + underflow + overflow }
    /// The bin edges (bins + 1 values).
    public var edges: [Double] { (0...counts.count).map { lower + Double($0) * binWidth } }

    public mutating func add(_ x: Double) {
        let position = (x - lower) / binWidth
        if position < 0 {
            underflow += 1
        } else if position >= Double(counts.count) {
            overflow += 1
        } else {
            counts[Int(position)] += 1
        }
    }

    /// Density estimate per bin: count / (total · width), so it integrates to the fraction
    /// of values inside the range.
    public var density: [Double] {
        let scale = 1 / (Double(max(total, 1)) * binWidth)
        return counts.map { Double($0) * scale }
    }

    /// The sum of two histograms on the same bins.
    public func merged(with other: StreamingHistogram) -> StreamingHistogram {
        precondition(other.lower == lower && other.binWidth == binWidth && other.counts.count == counts.count)
        var result = self
        for i in counts.indices { result.counts[i] += other.counts[i] }
        result.underflow += other.underflow
        result.overflow += other.overflow
        return result
    }
}
