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
        let bin = Self.bin(of: x, lower: lower, binWidth: binWidth, bins: counts.count)
        if bin < 0 {
            underflow += 1
        } else if bin == counts.count {
            overflow += 1
        } else {
            counts[bin] += 1
        }
    }

    /// The bin of x among `bins` bins of `binWidth` from `lower`: −1 below them, `bins` at or
    /// above their upper edge.
    @inline(__always)
    static func bin(of x: Double, lower: Double, binWidth: Double, bins: Int) -> Int {
        bin(atPosition: (x - lower) / binWidth, bins: bins)
    }

    /// The bin of the value at `position` = (x − lower) / binWidth bin widths from `lower`
    /// (`bin(of:lower:binWidth:bins:)` in two parts, so that a batch computes its positions in
    /// one vectorised loop).
    @inline(__always)
    static func bin(atPosition position: Double, bins: Int) -> Int {
        if position < 0 { return -1 }
        return position >= Double(bins) ? bins : Int(position)
    }

    /// A histogram on these bins with these counts (`BatchRecord`).
    init(lower: Double, binWidth: Double, counts: [Int], underflow: Int, overflow: Int) {
        self.lower = lower
        self.binWidth = binWidth
        self.counts = counts
        self.underflow = underflow
        self.overflow = overflow
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
