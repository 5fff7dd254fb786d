/// References known through draws, and targets whose reference is not (yet) known.
extension Reference {
    /// A `draws` reference from `draws` (row-major, count × d, on the model scale): the moments
    /// are the sample moments of the draws — E[x_i], Var[x_i] (divisor S), E[x_i²] and
    /// Var[x_i²] (divisor S) — and the draws are kept for distributional comparisons.
    public static func fromDraws(_ draws: [Double], dimension d: Int) -> Reference {
        precondition(d > 0 && !draws.isEmpty && draws.count % d == 0, "reference draws must be rows of length d")
        let count = draws.count / d
        let s = Double(count)
        var mean = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        for k in 0..<count {
            for i in 0..<d {
                let x = draws[k * d + i]
                mean[i] += x / s
                squares[i] += x * x / s
            }
        }
        var variance = [Double](repeating: 0, count: d), squareVariance = [Double](repeating: 0, count: d)
        for k in 0..<count {
            for i in 0..<d {
                let x = draws[k * d + i]
                variance[i] += (x - mean[i]) * (x - mean[i]) / s
                squareVariance[i] += (x * x - squares[i]) * (x * x - squares[i]) / s
            }
        }
        return Reference(kind: .draws, mean: mean, variance: variance, secondMoment: squares,
                         secondMomentVariance: squareVariance, draws: draws)
    }

    /// The reference of a target whose truth is not known yet (a BNN before
    /// `bench reference` has built and cached its draws): every moment is NaN, so every
    /// bias metric is undefined (nil) rather than wrong, while diagnostics that need no
    /// reference (ESS, R̂, predictive metrics on the test split) still work.
    public static func unavailable(dimension d: Int) -> Reference {
        let nan = [Double](repeating: .nan, count: d)
        return Reference(kind: .draws, mean: nan, variance: nan, secondMoment: nan, secondMomentVariance: nan)
    }

    /// Whether the moments are known (false for `unavailable`).
    public var isAvailable: Bool { mean.allSatisfy(\.isFinite) && variance.allSatisfy(\.isFinite) }

    /// At most `cap` of the stored draws, evenly spaced (draw ⌊k·S/cap⌋), each a row of length d.
    public func evenlySpacedDraws(cap: Int) -> [[Double]] {
        guard let draws, !mean.isEmpty else { return [] }
        let d = mean.count, total = draws.count / d, count = min(total, cap)
        return (0..<count).map { k in
            let row = count == total ? k : k * total / count
            return Array(draws[(row * d)..<((row + 1) * d)])
        }
    }
}
