extension ConvergenceStatistics {
    /// The mean over chains of the biased autocovariances γ̂ₘ(t) (``autocovariance(_:)``:
    /// γ̂ₘ(t) = (1/N) Σᵢ₌₀^{N−1−t} yᵢ yᵢ₊ₜ, y the chain minus its mean) of a finite matrix,
    /// computed only as far as it is asked for: Geyer's initial sequences stop at the first
    /// non-positive pair of autocorrelations, usually after a few dozen lags, while the FFT
    /// (``meanAutocovariance(_:)``) pays for all N.
    ///
    /// Lags below ``directLagLimit`` are direct sums, eight lags per pass over the chains (each
    /// lag's sum runs over i in increasing order, as the defining formula reads); a lag at or
    /// beyond it triggers the FFT once, which then serves every lag from the limit on. Both are
    /// the same estimator; they differ only by rounding (the direct sums are the more accurate:
    /// their error grows like √N·ε, the FFT's like log N·ε relative to γ̂(0)).
    struct LaggedAutocovariance {
        /// Lags below this are summed directly; 256 keeps the direct work below that of the
        /// FFT at every chain length the perf benchmark measured (`bench perf --only diagnostics`).
        static let defaultDirectLagLimit = 256
        /// Lags per pass of the direct sums (one SIMD vector).
        static let block = 8

        let matrix: ChainMatrix
        /// Each chain's mean (R's two-pass mean, ``ChainMatrix/chainMeans()``).
        let chainMeans: [Double]
        let directLagLimit: Int
        /// Chain-major, each chain minus its mean.
        private var centred: [Double]
        /// Mean autocovariances of lags 0 ..< lags.count, filled a block at a time.
        private var lags: [Double] = []
        /// All lags by FFT, once a lag at or beyond the limit was asked for.
        private var transformed: [Double]?

        /// Needs a finite matrix with at least one draw per chain. The centred copy is made a
        /// chain at a time, and the chain's sums of the first block of lags, which every use
        /// asks for (γ̂(0) and γ̂(1)), are taken while it is in cache.
        init(_ matrix: ChainMatrix, directLagLimit: Int = defaultDirectLagLimit) {
            self.matrix = matrix
            self.directLagLimit = directLagLimit
            let n = matrix.drawCount
            let means = matrix.chainMeans()
            var firstBlock = [Double](repeating: 0, count: Self.block)
            centred = [Double](unsafeUninitializedCapacity: matrix.count) { centred, initialized in
                matrix.values.withUnsafeBufferPointer { values in
                    for chain in 0..<matrix.chainCount {
                        let mean = means[chain]
                        let x = values.baseAddress! + chain * n, y = centred.baseAddress! + chain * n
                        for i in 0..<n { y[i] = x[i] - mean }
                        Self.addBlock(of: y, count: n, from: 0, to: &firstBlock)
                    }
                }
                initialized = matrix.count
            }
            chainMeans = means
            let chains = Double(matrix.chainCount)
            lags = firstBlock.map { $0 / chains }
        }

        /// γ̂(t), the mean over chains, for 0 ≤ t < N. Nil only when the FFT cannot allocate.
        mutating func callAsFunction(_ t: Int) -> Double? {
            if t < directLagLimit {
                while lags.count <= t { appendBlock() }
                return lags[t]
            }
            if transformed == nil {
                transformed = meanAutocovariance(matrix)
            }
            return transformed?[t]
        }

        /// Appends the lags lags.count ..< lags.count + 8 (those below N) to ``lags``.
        private mutating func appendBlock() {
            let first = lags.count
            let n = matrix.drawCount
            var sums = [Double](repeating: 0, count: Self.block)
            centred.withUnsafeBufferPointer { values in
                for chain in 0..<matrix.chainCount {
                    Self.addBlock(of: values.baseAddress! + chain * n, count: n, from: first, to: &sums)
                }
            }
            let chains = Double(matrix.chainCount)
            for lane in 0..<Self.block { lags.append(sums[lane] / chains) }
        }

        /// Adds (1/N) Σᵢ yᵢ yᵢ₊ₜ of one centred chain y of N draws to `sums[t − first]`, for the
        /// lags t = first ..< first + 8 (those below N contribute).
        private static func addBlock(of y: UnsafePointer<Double>, count n: Int, from first: Int, to sums: inout [Double]) {
            let width = block
            // Eight independent sums (vectorised by the optimiser; plain scalars, since
            // SIMD types are slow in unoptimised builds, which the tests use).
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
            // Every lane in range: i + first + 7 ≤ n − 1.
            let full = max(0, n - first - (width - 1))
            var later = y + first
            for i in 0..<full {
                let yi = y[i]
                s0 += yi * later[0]; s1 += yi * later[1]; s2 += yi * later[2]; s3 += yi * later[3]
                s4 += yi * later[4]; s5 += yi * later[5]; s6 += yi * later[6]; s7 += yi * later[7]
                later += 1
            }
            let partial = [s0, s1, s2, s3, s4, s5, s6, s7]
            for lane in 0..<width {
                var sum = partial[lane]
                let lag = first + lane
                if lag < n {
                    for i in full..<(n - lag) { sum += y[i] * y[i + lag] }
                }
                sums[lane] += sum / Double(n)
            }
        }
    }
}
