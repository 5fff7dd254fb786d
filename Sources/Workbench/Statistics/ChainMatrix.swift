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
                guard var low = buffer.first else { return false }
                var high = low
                // x − x is 0 for finite x and NaN otherwise, so `check` ends NaN iff a draw is
                // not finite: no branch in the loop, which runs as fast as memory delivers.
                var check = 0.0
                for value in buffer {
                    check += value - value
                    low = value < low ? value : low
                    high = value > high ? value : high
                }
                return check == 0 && abs(high - low) >= Double.ulpOfOne
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

        /// The mean of each chain (R's two-pass mean: sum/N, then corrected by the mean residual).
        func chainMeans() -> [Double] {
            (0..<chainCount).map { chain in withChain(chain) { refinedMean($0) } }
        }

        /// Each chain's mean (``chainMeans()``) and variance about it (divisor N − 1), a chain at
        /// a time so that its second and third passes read it from cache.
        func chainMeansAndVariances() -> (means: [Double], variances: [Double]) {
            var means: [Double] = [], variances: [Double] = []
            for chain in 0..<chainCount {
                withChain(chain) { draws in
                    let mean = refinedMean(draws)
                    var sum = 0.0
                    for value in draws {
                        let deviation = value - mean
                        sum += deviation * deviation
                    }
                    means.append(mean)
                    variances.append(sum / Double(drawCount - 1))
                }
            }
            return (means, variances)
        }

        /// `body` on the draws of chain `chain`.
        @inline(__always)
        func withChain<T>(_ chain: Int, _ body: (UnsafeBufferPointer<Double>) -> T) -> T {
            values.withUnsafeBufferPointer { buffer in
                body(UnsafeBufferPointer(rebasing: buffer[(chain * drawCount)..<((chain + 1) * drawCount)]))
            }
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
