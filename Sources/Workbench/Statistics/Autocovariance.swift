import CGSL

extension ConvergenceStatistics {
    /// The biased autocovariance estimates of one series (`posterior`'s `autocovariance`):
    /// with y = x − x̄, γ̂(t) = (1/N) Σᵢ₌₀^{N−1−t} yᵢ yᵢ₊ₜ for t = 0 … N − 1. The divisor is N
    /// at every lag (Geyer 1992), which keeps the sequence positive semi-definite.
    ///
    /// Computed by FFT in O(N log N): y is zero-padded to 2·N′, N′ the smallest 2,3,5-smooth
    /// number ≥ N, so the circular correlation has no wrap-around and is exact; GSL's
    /// mixed-radix real FFT (`gsl_fft_real_transform`) and its half-complex inverse do the work.
    /// As in `posterior`, the result is then scaled so that γ̂(0) is exactly Σy²/N, and a
    /// constant series has all-zero autocovariances.
    ///
    /// - Returns: γ̂(0) … γ̂(N − 1), or nil when `series` is empty or has a non-finite value.
    public static func autocovariance(_ series: [Double]) -> [Double]? {
        guard !series.isEmpty, !series.contains(where: { !$0.isFinite }) else { return nil }
        let matrix = ChainMatrix(chainCount: 1, drawCount: series.count, values: series)
        return meanAutocovariance(matrix)
    }

    /// The mean over chains of each chain's lag-1 autocorrelation ρ̂ₘ(1) = γ̂ₘ(1)/γ̂ₘ(0), from the
    /// same biased autocovariance as ``autocovariance(_:)`` (here γ̂(1) = (1/N) Σ yᵢ yᵢ₊₁ is
    /// summed directly, in O(N)). The chains are not split. This is the `mean_lag1_ac` that
    /// posteriordb reports for its reference draws (and asks to be below 0.05 in magnitude).
    ///
    /// - Returns: nil when there are no chains, a chain has fewer than 2 draws, a draw is not
    ///   finite, or a chain is constant (its autocorrelation is 0/0).
    /// - Throws: ``ConvergenceError/unequalChainLengths(_:)``.
    public static func meanLag1Autocorrelation(_ chains: [[Double]]) throws -> Double? {
        let matrix = try ChainMatrix(validating: chains)
        let n = matrix.drawCount
        guard matrix.chainCount > 0, n >= 2, matrix.isFinite else { return nil }
        let means = matrix.chainMeans()
        return matrix.values.withUnsafeBufferPointer { buffer -> Double? in
            var total = 0.0
            for chain in 0..<matrix.chainCount {
                let base = chain * n
                let mean = means[chain]
                var lag0 = 0.0
                var lag1 = 0.0
                var previous = buffer[base] - mean
                lag0 = previous * previous
                for i in (base + 1)..<(base + n) {
                    let current = buffer[i] - mean
                    lag0 += current * current
                    lag1 += previous * current
                    previous = current
                }
                guard lag0 > 0 else { return nil }
                total += lag1 / lag0
            }
            return total / Double(matrix.chainCount)
        }
    }

    /// The mean over chains of the biased autocovariances γ̂ₘ(t), t = 0 … N − 1, of a finite
    /// matrix with N ≥ 1 draws per chain (see ``ConvergenceStatistics/autocovariance(_:)``).
    /// One FFT plan and one padded buffer serve all chains. Nil only if GSL cannot allocate.
    static func meanAutocovariance(_ matrix: ChainMatrix) -> [Double]? {
        let n = matrix.drawCount
        let chains = matrix.chainCount
        var sum = [Double](repeating: 0, count: n)
        guard n > 1 else { return sum }  // one draw: γ̂(0) = 0
        guard let plan = RealFFTPlan(length: 2 * nextFFTSize(n)) else { return nil }
        var buffer = [Double](repeating: 0, count: plan.length)
        let means = matrix.chainMeans()
        matrix.values.withUnsafeBufferPointer { values in
            buffer.withUnsafeMutableBufferPointer { buffer in
                sum.withUnsafeMutableBufferPointer { sum in
                    for chain in 0..<chains {
                        let base = chain * n
                        let mean = means[chain]
                        var squares = 0.0
                        for i in 0..<n {
                            let centred = values[base + i] - mean
                            buffer[i] = centred
                            squares += centred * centred
                        }
                        // posterior: a series with zero variance has all-zero autocovariances.
                        guard squares > 0 else { continue }
                        for i in n..<buffer.count { buffer[i] = 0 }
                        plan.circularAutocorrelation(buffer)
                        let lag0 = buffer[0]
                        guard lag0 > 0 else { continue }
                        // Scale so that γ̂(0) = Σy²/N exactly (posterior: ac / ac[1] · var · (N−1)/N).
                        let scale = squares / Double(n) / lag0
                        for t in 0..<n { sum[t] += buffer[t] * scale }
                    }
                    let count = Double(chains)
                    for t in 0..<n { sum[t] /= count }
                }
            }
        }
        return sum
    }

    /// The smallest integer ≥ n (and ≥ 2) whose only prime factors are 2, 3 and 5 (R's `nextn`,
    /// `posterior`'s `fft_next_good_size`), so GSL's mixed-radix FFT uses its fast radices.
    static func nextFFTSize(_ n: Int) -> Int {
        guard n > 2 else { return 2 }
        var candidate = n
        while true {
            var m = candidate
            for factor in [2, 3, 5] {
                while m % factor == 0 { m /= factor }
            }
            if m == 1 { return candidate }
            candidate += 1
        }
    }

    /// GSL's wavetables and workspace for real FFTs of one length, freed when the plan is released.
    /// Not shared between threads: each computation allocates its own plan.
    final class RealFFTPlan {
        let length: Int
        private let forwardTable: UnsafeMutablePointer<gsl_fft_real_wavetable>
        private let inverseTable: UnsafeMutablePointer<gsl_fft_halfcomplex_wavetable>
        private let workspace: UnsafeMutablePointer<gsl_fft_real_workspace>

        /// Nil when GSL cannot allocate (length must be ≥ 1).
        init?(length: Int) {
            guard length >= 1 else { return nil }
            guard let forward = gsl_fft_real_wavetable_alloc(length) else { return nil }
            guard let inverse = gsl_fft_halfcomplex_wavetable_alloc(length) else {
                gsl_fft_real_wavetable_free(forward)
                return nil
            }
            guard let work = gsl_fft_real_workspace_alloc(length) else {
                gsl_fft_real_wavetable_free(forward)
                gsl_fft_halfcomplex_wavetable_free(inverse)
                return nil
            }
            self.length = length
            forwardTable = forward
            inverseTable = inverse
            workspace = work
        }

        deinit {
            gsl_fft_real_wavetable_free(forwardTable)
            gsl_fft_halfcomplex_wavetable_free(inverseTable)
            gsl_fft_real_workspace_free(workspace)
        }

        /// Replaces `data` (length ``length``) by its circular autocorrelation
        /// c(t) = Σᵢ dᵢ d₍ᵢ₊ₜ₎ mod L: forward FFT, |·|² in GSL's half-complex layout, inverse FFT
        /// (GSL's inverse includes the 1/L).
        func circularAutocorrelation(_ data: UnsafeMutableBufferPointer<Double>) {
            precondition(data.count == length, "RealFFTPlan: buffer length mismatch")
            let base = data.baseAddress!
            gsl_fft_real_transform(base, 1, length, forwardTable, workspace)
            // Half-complex layout: d[0] = Re z₀; d[2k−1], d[2k] = Re, Im zₖ for 1 ≤ k < L/2
            // (k ≤ (L−1)/2 when L is odd); for even L, d[L−1] = Re z_{L/2}.
            data[0] = data[0] * data[0]
            var k = 1
            while 2 * k < length {
                let re = data[2 * k - 1]
                let im = data[2 * k]
                data[2 * k - 1] = re * re + im * im
                data[2 * k] = 0
                k += 1
            }
            if length % 2 == 0 {
                data[length - 1] = data[length - 1] * data[length - 1]
            }
            gsl_fft_halfcomplex_inverse(base, 1, length, inverseTable, workspace)
        }
    }
}
