import Testing
@testable import Workbench

/// The lag-truncated autocovariance behind every ESS (`LaggedAutocovariance`) against the FFT
/// computation of the same estimator (`meanAutocovariance`), and the ESS it gives against the
/// ESS computed from the FFT alone.
///
/// Tolerances: both compute γ̂(t) = (1/N) Σ yᵢ yᵢ₊ₜ; the FFT's rounding error is a few
/// ε log₂(L) Σ yᵢ² (L the padded length), the direct sum's at most N ε Σ |yᵢ yᵢ₊ₜ| ≤ N ε Σ yᵢ²
/// (the worst case; in practice √N ε), so 10⁻¹⁰ γ̂(0) is above either's error bound for the
/// N ≤ 10⁴ used here, and far below any difference a wrong lag or a lost term would make
/// (≥ 1/N of γ̂(0) = 10⁻⁴).
@Suite struct LaggedAutocovarianceTests {
    /// M AR(1) chains of n draws with coefficient φ (and a mean offset per chain).
    static func chains(_ m: Int, _ n: Int, phi: Double, seed: UInt64) -> ConvergenceStatistics.ChainMatrix {
        var rng = Xoshiro256StarStar(seed: seed)
        var values: [Double] = []
        for chain in 0..<m {
            var x = rng.normal()
            for _ in 0..<n {
                values.append(x + Double(chain))
                x = phi * x + rng.normal()
            }
        }
        return .init(chainCount: m, drawCount: n, values: values)
    }

    /// Every lag, including the short tails where fewer than eight lags remain and chains whose
    /// length is not a multiple of the block, with the direct sums only and with the FFT taking
    /// over at lag 20.
    @Test(arguments: [(3, 301), (1, 7), (2, 8), (4, 1_000)])
    func everyLagMatchesTheFFT(m: Int, n: Int) throws {
        let matrix = Self.chains(m, n, phi: 0.9, seed: UInt64(n))
        let fft = try #require(ConvergenceStatistics.meanAutocovariance(matrix))
        for limit in [n + 8, 20] {
            var lagged = ConvergenceStatistics.LaggedAutocovariance(matrix, directLagLimit: limit)
            for t in 0..<n {
                let value = try #require(lagged(t))
                #expect(abs(value - fft[t]) <= 1e-10 * fft[0], "lag \(t) of \(n), limit \(limit): \(value) vs \(fft[t])")
            }
        }
        // γ̂(0) is the mean of Σy²/N exactly as the definition sums it.
        var lagged = ConvergenceStatistics.LaggedAutocovariance(matrix)
        let means = matrix.chainMeans()
        var sum = 0.0
        for chain in 0..<m {
            var squares = 0.0
            for i in 0..<n {
                let y = matrix.values[chain * n + i] - means[chain]
                squares += y * y
            }
            sum += squares / Double(n)
        }
        #expect(lagged(0) == sum / Double(m))
    }

    /// The ESS from the truncated sequence equals the all-FFT ESS: for a short memory (the
    /// sequence stops after a few dozen lags, all direct) and for φ = 0.995 (τ ≈ 400, so the
    /// sequence runs past the 256 direct lags into the FFT). Relative 10⁻⁹: the autocorrelations
    /// agree to 10⁻¹⁰ (above), and τ̂ sums fewer than 10⁴ of them.
    @Test(arguments: [0.3, 0.995])
    func essMatchesTheAllFFTComputation(phi: Double) throws {
        let matrix = Self.chains(4, 10_000, phi: phi, seed: 17)
        // Where the pairs of (within-chain) autocovariances first turn non-positive: the
        // direct part (< 256) for φ = 0.3, beyond it for φ = 0.995.
        let fft = try #require(ConvergenceStatistics.meanAutocovariance(matrix))
        let stop = stride(from: 0, to: 9_998, by: 2).first { fft[$0] + fft[$0 + 1] <= 0 } ?? 10_000
        #expect(phi < 0.5 ? stop < 256 : stop > 256, "the pairs stop at lag \(stop)")
        let truncated = try #require(ConvergenceStatistics.geyerESS(matrix))
        let allFFT = try #require(ConvergenceStatistics.geyerESS(matrix, directLagLimit: 0))
        #expect(abs(truncated / allFFT - 1) < 1e-9, "φ = \(phi): \(truncated) vs \(allFFT)")
    }
}

/// `RunRecord.convergenceByCoordinate` (blocks of coordinates gathered at once, one sort for x
/// and x²) against the public per-coordinate statistics, on a run whose dimension is not a
/// multiple of the block, with one diverged chain (excluded) and chains of unequal stored
/// length (truncated to the shortest healthy one).
@Suite struct CoordinateConvergenceTests {
    @Test func matchesThePerCoordinateStatistics() throws {
        let d = 11
        var rng = Xoshiro256StarStar(seed: 5)
        var chains: [ChainRecord] = []
        for chain in 0..<4 {
            // Chain 0 stores fewer draws, so the others are truncated to its 399.
            let length = chain == 0 ? 399 : 403
            var x = (0..<d).map { _ in rng.normal() }
            var values: [Double] = []
            for _ in 0..<length {
                for i in 0..<d {
                    x[i] = 0.7 * x[i] + rng.normal()
                    values.append(x[i] + Double(i))
                }
            }
            var record = ChainRecord(importing: values, dimension: d)
            if chain == 3 { record.divergenceStep = 400 }
            chains.append(record)
        }
        let none = try ResolvedParameters([:], specs: [], owner: "t")
        let run = RunRecord(cell: Cell(sampler: "s", target: "t", stepSize: 0.1, steps: 403), hyperparameters: none,
                            targetOptions: none, dimension: d, dataSize: 1, parameterNames: (1...d).map { "x\($0)" },
                            chains: chains, perDatumGradientEvaluations: 0, potentialEvaluations: 0, wallSeconds: 1)
        #expect(run.healthyChains.count == 3)
        let coordinates = run.convergenceByCoordinate()
        #expect(coordinates.count == d)
        for i in 0..<d {
            let chains = run.chainsOfCoordinate(i)
            #expect(chains.allSatisfy { $0.count == 399 })
            #expect(coordinates[i].summary == (try ConvergenceSummary(chains: chains)), "coordinate \(i)")
            let squares = try ConvergenceStatistics.bulkESS(chains.map { $0.map { $0 * $0 } })
            #expect(coordinates[i].squaresBulkESS == squares, "coordinate \(i)")
        }
        let bulkOnly = run.convergenceByCoordinate(tailAndRhat: false)
        #expect(bulkOnly.map(\.summary.bulkESS) == coordinates.map(\.summary.bulkESS))
        #expect(bulkOnly.allSatisfy { $0.summary.tailESS == nil && $0.summary.rhat == nil })
        let minimum = run.minimumBulkESS()
        #expect(minimum.x == coordinates.map(\.summary.bulkESS).compactMap { $0 }.min())
        #expect(minimum.squares == coordinates.map(\.squaresBulkESS).compactMap { $0 }.min())
    }
}
