extension ConvergenceStatistics {
    /// The draws of one scalar quantity as a contiguous chain-major matrix: `values[m * drawCount + i]`
    /// is draw `i` of chain `m`. The statistics work on this flat layout so that a quantity costs one
    /// array, not one per chain, and the FFT and the sums run over contiguous memory.
    struct ChainMatrix: Sendable, Equatable {
        let chainCount: Int
        let drawCount: Int
        var values: [Double]

        init(chainCount: Int, drawCount: Int, values: [Double]) {
            precondition(values.count == chainCount * drawCount, "ChainMatrix: shape mismatch")
            self.chainCount = chainCount
            self.drawCount = drawCount
            self.values = values
        }

        /// Flattens `chains`, throwing ``ConvergenceError/unequalChainLengths(_:)`` when their lengths differ.
        init(validating chains: [[Double]]) throws {
            let n = chains.first?.count ?? 0
            if chains.contains(where: { $0.count != n }) {
                throw ConvergenceError.unequalChainLengths(chains.map(\.count))
            }
            var flat = [Double]()
            flat.reserveCapacity(chains.count * n)
            for chain in chains { flat.append(contentsOf: chain) }
            self.init(chainCount: chains.count, drawCount: n, values: flat)
        }

        /// The total number of draws S.
        var count: Int { values.count }

        /// The matrix back as `[[Double]]`, chain-major.
        var chains: [[Double]] {
            (0..<chainCount).map { Array(values[($0 * drawCount)..<(($0 + 1) * drawCount)]) }
        }

        /// Whether every draw is finite (no NaN, no ±∞).
        var isFinite: Bool {
            values.withUnsafeBufferPointer { buffer in
                for value in buffer where !value.isFinite { return false }
                return true
            }
        }

        /// Whether every draw is finite and the quantity is not constant in `posterior`'s sense
        /// (`is_constant`: |max − min| < machine epsilon 2⁻⁵²), i.e. `isFinite` and not
        /// constant, in one pass.
        var isFiniteAndVarying: Bool {
            values.withUnsafeBufferPointer { buffer in
                guard let first = buffer.first else { return false }
                // x − x is 0 for finite x and NaN otherwise, so a `check` ends NaN iff a draw is
                // not finite: no branch in the loop. Four lanes (plain scalars: SIMD types are
                // slow in unoptimised builds), so that the additions and comparisons of
                // successive draws overlap; min, max and the check do not depend on the order.
                var check0 = 0.0, check1 = 0.0, check2 = 0.0, check3 = 0.0
                var low0 = first, low1 = first, low2 = first, low3 = first
                var high0 = first, high1 = first, high2 = first, high3 = first
                let quads = buffer.count / 4
                for k in 0..<quads {
                    let a = buffer[4 * k], b = buffer[4 * k + 1], c = buffer[4 * k + 2], d = buffer[4 * k + 3]
                    check0 += a - a; check1 += b - b; check2 += c - c; check3 += d - d
                    low0 = Swift.min(low0, a); low1 = Swift.min(low1, b); low2 = Swift.min(low2, c); low3 = Swift.min(low3, d)
                    high0 = Swift.max(high0, a); high1 = Swift.max(high1, b); high2 = Swift.max(high2, c); high3 = Swift.max(high3, d)
                }
                var total = check0 + check1 + check2 + check3
                var least = Swift.min(Swift.min(low0, low1), Swift.min(low2, low3))
                var greatest = Swift.max(Swift.max(high0, high1), Swift.max(high2, high3))
                for value in buffer[(4 * quads)...] {
                    total += value - value
                    least = Swift.min(least, value)
                    greatest = Swift.max(greatest, value)
                }
                return total == 0 && abs(greatest - least) >= Double.ulpOfOne
            }
        }

        /// The same shape with `transform` applied to every draw.
        func map(_ transform: (Double) -> Double) -> ChainMatrix {
            ChainMatrix(chainCount: chainCount, drawCount: drawCount, values: values.map(transform))
        }

        // MARK: Splitting

        /// Draws per chain after splitting: ⌊n/2⌋, or n itself when n = 1 (`posterior` leaves a
        /// one-draw chain unsplit).
        var splitDrawCount: Int { drawCount == 1 ? 1 : drawCount / 2 }

        /// Chains after splitting.
        var splitChainCount: Int { drawCount == 1 ? chainCount : 2 * chainCount }

        /// Where draw `draw` of chain `chain` goes in the split matrix, or nil for the middle draw
        /// of an odd-length chain, which splitting drops. The split matrix holds the first halves of
        /// chains 0…M−1, then their second halves (`posterior`'s `cbind(first, second)`).
        @inline(__always)
        func splitDestination(chain: Int, draw: Int) -> Int? {
            let n = drawCount
            if n == 1 { return chain }
            let half = n / 2
            if draw < half { return chain * half + draw }
            if draw >= n - half { return (chainCount + chain) * half + (draw - (n - half)) }
            return nil
        }

        /// Each chain split into its first and second half (middle draw dropped when n is odd).
        func split() -> ChainMatrix { split { $0 } }

        /// `map(transform).split()` in one pass: the split matrix of the transformed draws.
        func split(_ transform: (Double) -> Double) -> ChainMatrix {
            let n = drawCount
            guard n > 1 else { return map(transform) }
            let half = n / 2
            let out = [Double](unsafeUninitializedCapacity: 2 * chainCount * half) { target, initialized in
                values.withUnsafeBufferPointer { source in
                    for chain in 0..<chainCount {
                        let base = chain * n
                        for draw in 0..<half {
                            target[chain * half + draw] = transform(source[base + draw])
                            target[(chainCount + chain) * half + draw] = transform(source[base + n - half + draw])
                        }
                    }
                }
                initialized = 2 * chainCount * half
            }
            return ChainMatrix(chainCount: 2 * chainCount, drawCount: half, values: out)
        }

        // MARK: Moments

        /// The mean of each chain (R's two-pass mean, ``refinedMean(_:)``: sum/N, then corrected
        /// by the mean residual).
        func chainMeans() -> [Double] {
            let n = Double(drawCount)
            let first = chainSums { value, _ in value }.map { $0 / n }
            let residuals = chainSums { value, chain in value - first[chain] }
            return (0..<chainCount).map { first[$0] + residuals[$0] / n }
        }

        /// Each chain's mean (``chainMeans()``) and variance about it (divisor N − 1).
        func chainMeansAndVariances() -> (means: [Double], variances: [Double]) {
            let means = chainMeans()
            let squares = chainSums { value, chain in
                let deviation = value - means[chain]
                return deviation * deviation
            }
            return (means, squares.map { $0 / Double(drawCount - 1) })
        }

        /// For each chain m, Σᵢ term(xₘᵢ, m) summed in draw order i = 0, 1, …, exactly as one
        /// loop per chain sums it. Four chains run in one loop, so that their additions, each
        /// waiting on the one before in its own chain, overlap.
        @inline(__always)
        func chainSums(_ term: (_ value: Double, _ chain: Int) -> Double) -> [Double] {
            let n = drawCount
            var sums = [Double](repeating: 0, count: chainCount)
            guard n > 0 else { return sums }
            values.withUnsafeBufferPointer { buffer in
                var chain = 0
                while chain < chainCount {
                    let x = buffer.baseAddress! + chain * n
                    if chain + 4 <= chainCount {
                        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                        for i in 0..<n {
                            s0 += term(x[i], chain)
                            s1 += term(x[n + i], chain + 1)
                            s2 += term(x[2 * n + i], chain + 2)
                            s3 += term(x[3 * n + i], chain + 3)
                        }
                        sums[chain] = s0; sums[chain + 1] = s1; sums[chain + 2] = s2; sums[chain + 3] = s3
                        chain += 4
                    } else {
                        var sum = 0.0
                        for i in 0..<n { sum += term(x[i], chain) }
                        sums[chain] = sum
                        chain += 1
                    }
                }
            }
            return sums
        }
    }

    /// Mean by two passes (sum/n, then plus the mean residual), as R's `mean` computes it.
    @inline(__always)
    static func refinedMean(_ buffer: UnsafeBufferPointer<Double>) -> Double {
        let n = Double(buffer.count)
        var sum = 0.0
        for value in buffer { sum += value }
        let first = sum / n
        var residual = 0.0
        for value in buffer { residual += value - first }
        return first + residual / n
    }

    /// Sample variance (divisor n − 1) of a small array, e.g. chain means. Needs n ≥ 2.
    static func sampleVariance(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { buffer in
            let mean = refinedMean(buffer)
            var sum = 0.0
            for value in buffer {
                let deviation = value - mean
                sum += deviation * deviation
            }
            return sum / Double(buffer.count - 1)
        }
    }
}
