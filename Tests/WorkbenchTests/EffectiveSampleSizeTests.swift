import Foundation
import Testing
import Workbench

/// Standard normal draws from a fixed seed: SplitMix64 (Steele, Lea & Flood 2014) for the
/// uniforms, Box–Muller for the normals. Test-only; deterministic on every platform.
struct ConvergenceTestNormals {
    private var state: UInt64
    private var spare: Double?

    init(seed: UInt64) { state = seed }

    private mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1): 53 random bits, offset by half a step so 0 never occurs.
    private mutating func nextUniform() -> Double {
        (Double(nextUInt64() >> 11) + 0.5) * 0x1p-53
    }

    mutating func next() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let radius = (-2 * log(nextUniform())).squareRoot()
        let angle = 2 * Double.pi * nextUniform()
        spare = radius * sin(angle)
        return radius * cos(angle)
    }
}

/// ESS against series whose true ESS is known, with tolerances derived from the estimator's
/// sampling variance rather than chosen to pass.
///
/// For an autocorrelation time τ = 1 + 2 Σₜ ρₜ estimated by summing the sample
/// autocorrelations up to a window W from S draws, Sokal (1989, "Monte Carlo methods in
/// statistical mechanics", eq. 3.19; Madras & Sokal 1988) gives Var(τ̂) ≈ 2(2W + 1)/S · τ².
/// ESS = S/τ̂, so by the delta method ESS has relative standard error
/// σ_rel ≈ √(2(2W + 1)/S). Geyer's initial positive sequence picks W from the data; a larger W
/// only inflates the bound, so each test uses a W that the truncation exceeds with negligible
/// probability, and accepts |ESS/ESS_true − 1| < 4 σ_rel.
@Suite("Effective sample size of known series")
struct EffectiveSampleSizeTests {
    /// iid N(0, 1): τ = 1, ESS_true = S. The pair sums ρ̂₂ₖ + ρ̂₂ₖ₊₁ are ≈ N(0, 2/S) and
    /// symmetric, so each further pair survives with probability ≈ 1/2 and the truncation
    /// passes lag 2k + 1 with probability ≈ 2⁻ᵏ: W = 21 fails with probability ≈ 2⁻¹⁰.
    /// S = 4 × 25 000 = 100 000 gives σ_rel = √(2 · 43 / 100 000) = 0.029, tolerance 0.117.
    /// (The positive-pair truncation biases τ̂ up by about 2 E[K] E[Γ | Γ > 0] ≈ 2√(2/S)√(2/π)
    /// ≈ 0.007, well inside.)
    @Test func iidDrawsHaveESSNearS() throws {
        var random = ConvergenceTestNormals(seed: 4711)
        let chains = (0..<4).map { _ in (0..<25_000).map { _ in random.next() } }
        let draws = 100_000.0
        let tolerance = 4 * (2 * (2 * 21 + 1) / draws).squareRoot()
        let mean = try #require(try ConvergenceStatistics.meanESS(chains))
        let bulk = try #require(try ConvergenceStatistics.bulkESS(chains))
        #expect(abs(mean / draws - 1) < tolerance, "ESS = \(mean), S = \(draws)")
        #expect(abs(bulk / draws - 1) < tolerance, "bulk-ESS = \(bulk), S = \(draws)")
        // Tail-ESS estimates the ESS of an indicator of iid draws: also S.
        let tail = try #require(try ConvergenceStatistics.tailESS(chains))
        #expect(abs(tail / draws - 1) < tolerance, "tail-ESS = \(tail), S = \(draws)")
        let rhat = try #require(try ConvergenceStatistics.rhat(chains))
        #expect(abs(rhat - 1) < 0.01)
    }

    /// AR(1), xₜ₊₁ = φxₜ + εₜ with φ = 0.9, started in its stationary law N(0, 1/(1 − φ²)):
    /// ρₜ = φᵗ, τ = (1 + φ)/(1 − φ) = 19, ESS_true = S(1 − φ)/(1 + φ) = S/19.
    /// The pair sums φ²ᵏ(1 + φ) fall below their noise, √(2 Σρₜ²/S) = √(2 · 9.53/S) ≈ 0.007 at
    /// S = 400 000, near lag 2k ≈ 55; past it the positive sequence stops within a few pairs as
    /// for iid draws, so W = 100 is a safe upper bound: σ_rel = √(2 · 201/400 000) = 0.032,
    /// tolerance 0.127. The truncation bias, 2 Σ_{t>55} φᵗ/τ ≈ 0.003, and the finite-chain
    /// bias, O(τ/N) = 19/50 000, are negligible.
    @Test func ar1SeriesHasESSNearTheory() throws {
        let phi = 0.9
        var random = ConvergenceTestNormals(seed: 2021)
        let chains = (0..<4).map { _ -> [Double] in
            var x = random.next() / (1 - phi * phi).squareRoot()
            return (0..<100_000).map { _ in
                defer { x = phi * x + random.next() }
                return x
            }
        }
        let draws = 400_000.0
        let expected = draws * (1 - phi) / (1 + phi)
        let tolerance = 4 * (2 * (2 * 100 + 1) / draws).squareRoot()
        let ess = try #require(try ConvergenceStatistics.meanESS(chains))
        #expect(abs(ess / expected - 1) < tolerance, "ESS = \(ess), theory \(expected)")
        // Lag-1 autocorrelation: ρ₁ = φ; Bartlett's standard error √((1 − φ²)/S) ≈ 0.0007 and
        // Kendall's bias −(1 + 3φ)/n ≈ −4·10⁻⁵ for chains of n draws.
        let lag1 = try #require(try ConvergenceStatistics.meanLag1Autocorrelation(chains))
        let lag1Tolerance = 4 * ((1 - phi * phi) / draws).squareRoot() + (1 + 3 * phi) / 100_000
        #expect(abs(lag1 - phi) < lag1Tolerance, "ρ̂₁ = \(lag1)")
    }

    /// With N ≤ 5 draws per chain the positive sequence stops at T = 0, and `posterior`'s
    /// `sum(rho_hat_t[1:0])` = ρ̂₀ = 1 gives τ̂ = −1 + 2 + 1 = 2: ESS = S/2.
    @Test func shortChainsReproducePosteriorsIndexing() throws {
        #expect(try ConvergenceStatistics.basicESS([[1, 2, 3, 4], [2, 1, 4, 3]]) == 4)
        // S = 6: τ̂ = 2 is above the cap 1/log₁₀ 6 ≈ 1.29, so ESS = 3.
        #expect(try ConvergenceStatistics.basicESS([[0.5, 2, -1], [1, 0, 3]]) == 3)
    }

    /// Antithetic draws: ESS may exceed S but never S log₁₀ S.
    @Test func antitheticESSIsCapped() throws {
        var random = ConvergenceTestNormals(seed: 99)
        let chains = (0..<2).map { _ in
            (0..<1000).map { i in (i % 2 == 0 ? 1.0 : -1.0) + 0.01 * random.next() }
        }
        let ess = try #require(try ConvergenceStatistics.meanESS(chains))
        let draws = 2000.0
        #expect(ess > draws)
        #expect(ess <= draws * log10(draws) * (1 + 1e-12))
    }
}
