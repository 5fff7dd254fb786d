/// Streaming per-coordinate mean and variance (Welford 1962), mergeable across chains by
/// Chan, Golub & LeVeque's pairwise update. Adding a point costs O(d) and allocates nothing.
public struct RunningMoments: Codable, Sendable {
    public private(set) var count = 0
    public private(set) var mean: [Double]
    /// Σ (x − mean)² per coordinate.
    public private(set) var sumOfSquaredDeviations: [Double]

    public init(dimension: Int) {
        mean = [Double](repeating: 0, count: dimension)
        sumOfSquaredDeviations = [Double](repeating: 0, count: dimension)
    }

    /// Adds one point (length d).
    public mutating func add(_ x: [Double]) {
        x.withUnsafeBufferPointer { add($0) }
    }

    /// Adds one point (length d) from borrowed storage.
    ///
    /// The coordinates are independent, so the optimiser runs this loop in SIMD lanes (bit
    /// for bit the scalar updates, IEEE division included): a fraction of the divisions'
    /// issue cost, the recorder's largest per-coordinate cost at d = 2 952.
    public mutating func add(_ x: UnsafeBufferPointer<Double>) {
        count += 1
        let n = Double(count)
        mean.withUnsafeMutableBufferPointer { m in
            sumOfSquaredDeviations.withUnsafeMutableBufferPointer { s in
                Self.welford(x, count: n, mean: m, sumOfSquaredDeviations: s)
            }
        }
    }

    /// Welford's update of the running means and sums of squared deviations by the values of
    /// `x`, each the n-th (`count`) value of its coordinate: δ = x − m, m += δ/n, s += δ (x − m).
    /// `BatchRecord` runs it over a whole batch of chains at once (the same n for all).
    @inline(__always)
    static func welford(_ x: UnsafeBufferPointer<Double>, count n: Double, mean: UnsafeMutableBufferPointer<Double>,
                        sumOfSquaredDeviations: UnsafeMutableBufferPointer<Double>) {
        guard let xp = x.baseAddress, let mp = mean.baseAddress, let sp = sumOfSquaredDeviations.baseAddress else { return }
        for i in 0..<x.count {
            let delta = xp[i] - mp[i]
            mp[i] += delta / n
            sp[i] += delta * (xp[i] - mp[i])
        }
    }

    /// The moments of `count` values with these means and sums of squared deviations.
    init(count: Int, mean: [Double], sumOfSquaredDeviations: [Double]) {
        self.count = count
        self.mean = mean
        self.sumOfSquaredDeviations = sumOfSquaredDeviations
    }

    /// Adds a scalar (for d = 1 accumulators such as ΔE).
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean[0]
        mean[0] += delta / Double(count)
        sumOfSquaredDeviations[0] += delta * (x - mean[0])
    }

    /// The moments of the union of the two samples.
    public func merged(with other: RunningMoments) -> RunningMoments {
        if other.count == 0 { return self }
        if count == 0 { return other }
        var result = self
        let n1 = Double(count), n2 = Double(other.count), n = n1 + n2
        for i in mean.indices {
            let delta = other.mean[i] - mean[i]
            result.mean[i] = mean[i] + delta * n2 / n
            result.sumOfSquaredDeviations[i] =
                sumOfSquaredDeviations[i] + other.sumOfSquaredDeviations[i] + delta * delta * n1 * n2 / n
        }
        result.count = count + other.count
        return result
    }

    /// The population variance Σ(x − mean)²/n per coordinate (the plug-in estimate of Var[x]).
    public var variance: [Double] {
        sumOfSquaredDeviations.map { count > 0 ? $0 / Double(count) : .nan }
    }

    /// The sample mean of x² per coordinate: variance + mean².
    public var meanOfSquares: [Double] {
        zip(variance, mean).map { $0 + $1 * $1 }
    }
}
