import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// The built-in diagnostics on runs whose answers are known.
@Suite struct DiagnosticsTests {
    func value(_ metrics: [Metric], _ name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    /// End to end through `marginals` (thinning included): on `exact` draws of N(0, 1) the
    /// KS and χ² p-values are uniform, so each rejects at α = 0.05 in Binomial(R, 0.05)/R of
    /// R = 300 seeded runs; the standard error is √(0.05 · 0.95/300) = 0.0126 and the bound is
    /// 3.29 of them (two-sided 0.1 %): |rate − 0.05| < 0.0414. With 4 × 1 500 draws the
    /// lag-1 autocorrelation estimate has standard error 0.013, so independent draws are
    /// (almost always) tested unthinned; with far fewer, noise alone would push |ρ̂| over 0.05.
    @Test func marginalsPValuesAreCalibratedOnExactDraws() throws {
        let repetitions = 300
        let bound = 3.29 * (0.05 * 0.95 / Double(repetitions)).squareRoot()
        var ks = 0, chi = 0
        let diagnostic = MarginalsDiagnostic()
        for seed in 1...repetitions {
            let cell = Cell(sampler: "exact", target: "std-normal-1d", stepSize: nil, seed: UInt64(seed), chains: 4,
                            steps: 1_500, warmup: 0)
            let (run, reference) = try runCell(cell)
            let metrics = diagnostic.evaluate(run, reference: reference)
            if try #require(value(metrics, "ks-p-min")) < 0.05 { ks += 1 }
            if try #require(value(metrics, "chi2-p-min")) < 0.05 { chi += 1 }
            #expect(try #require(value(metrics, "w1-mean")) < 0.05)
        }
        #expect(abs(Double(ks) / Double(repetitions) - 0.05) < bound, "KS rejected \(ks) of \(repetitions)")
        #expect(abs(Double(chi) / Double(repetitions) - 0.05) < bound, "χ² rejected \(chi) of \(repetitions)")
    }

    /// SGLD at h = 0.5 on N(0, 1) has stationary variance 1/(1 − h/4)… far from 1: with
    /// 4 × 20 000 steps thinned to independence, both tests reject it decisively, and W1 is
    /// well above the exact runs' (the test above bounds theirs by 0.05).
    @Test func marginalsRejectABiasedSampler() throws {
        let cell = Cell(sampler: "sgld", target: "std-normal-1d", stepSize: 0.5, seed: 1, chains: 4, steps: 20_000)
        let (run, reference) = try runCell(cell)
        let metrics = MarginalsDiagnostic().evaluate(run, reference: reference)
        #expect(try #require(value(metrics, "ks-p-min")) < 1e-6)
        #expect(try #require(value(metrics, "chi2-p-min")) < 1e-6)
        #expect(try #require(value(metrics, "thinning-max")) >= 2)
    }

    /// `ess-per-gradient`: the min bulk-ESS of x and x² over the full-gradient count; SGLD at
    /// full batch spends one gradient per step, so per step equals per gradient.
    @Test func essPerGradientDividesByTheCost() throws {
        let cell = Cell(sampler: "sgld", target: "gaussian-iso", targetOptions: ["dimension": .number(3)],
                        stepSize: 0.2, seed: 2, chains: 2, steps: 3_000)
        let (run, reference) = try runCell(cell)
        let metrics = ESSPerGradientDiagnostic().evaluate(run, reference: reference)
        let ess = try #require(value(metrics, "ess-min"))
        let (x, squares) = run.minimumBulkESS()
        #expect(ess == min(x!, squares!))
        #expect(value(metrics, "ess-per-gradient") == ess / run.gradientEvaluations)
        #expect(value(metrics, "ess-per-step") == ess / 6_000)
        #expect(try #require(value(metrics, "ess-per-second")) > 0)
        #expect(!ESSDiagnostic().evaluate(run, reference: reference).contains { $0.name == "ess-per-gradient" })
    }

    /// Independent draws of N(0, I₂₀) at one gradient per draw: b² of the running means is
    /// about 1/n for n pooled draws, so it stays below 0.01 from about 100 draws on and ESS per
    /// gradient is about 1 (the mean criterion's χ²₂₀/20 fluctuation and the 19 % checkpoint
    /// spacing allow a factor 3). The max over coordinates needs several times more.
    @Test func gradsToAccuracyOfIndependentDraws() throws {
        let d = 20, chains = 4
        var rng = Xoshiro256StarStar(seed: 5)
        var records = (0..<chains).map { _ in ChainRecord(dimension: d, thin: 1, maxDraws: 100) }
        var x = [Double](repeating: 0, count: d)
        for c in 0..<chains {
            for k in 1...5_000 {
                rng.fillNormal(&x)
                records[c].record(x)
                records[c].checkpoint(perDatumGradients: k)
            }
            records[c].checkpoint(perDatumGradients: 5_000, force: true)
        }
        let run = try record(records)
        let metrics = GradsToAccuracyDiagnostic().evaluate(run, reference: unitGaussian(d).reference)
        let perGradient = try #require(value(metrics, "ess-per-gradient-b2"))
        #expect(perGradient > 1.0 / 3 && perGradient < 3, "\(metrics)")
        let mean = try #require(value(metrics, "gradients-to-accuracy"))
        #expect(try #require(value(metrics, "gradients-to-accuracy-max")) > mean)
        // A diverged chain makes ESS per gradient 0; imported draws make it unknown.
        records[0].divergenceStep = 7
        let diverged = GradsToAccuracyDiagnostic().evaluate(try record(records), reference: unitGaussian(d).reference)
        #expect(value(diverged, "ess-per-gradient-b2") == 0 && value(diverged, "gradients-to-accuracy") == nil)
        let imported = try RunRecord(importing: DrawsArray(chains: 1, draws: 10, dimension: 1, values: (0..<10).map(Double.init)),
                                     from: "x.npy", target: unitGaussian(1), targetOptions: ResolvedParameters([:], specs: [], owner: "t"))
        let unknown = GradsToAccuracyDiagnostic().evaluate(imported, reference: unitGaussian(1).reference)
        #expect(unknown.allSatisfy { $0.value == nil })
    }

    func record(_ chains: [ChainRecord]) throws -> RunRecord {
        let none = try ResolvedParameters([:], specs: [], owner: "t")
        return RunRecord(cell: Cell(sampler: "s", target: "t", stepSize: 0.1, steps: 10), hyperparameters: none,
                         targetOptions: none, dimension: chains[0].dimension, dataSize: 1,
                         parameterNames: (1...chains[0].dimension).map { "x\($0)" }, chains: chains,
                         perDatumGradientEvaluations: chains.reduce(0) { $0 + $1.moments.count },
                         potentialEvaluations: 0, wallSeconds: 1)
    }

    /// `ksd` uses the target's score and reports n; exact draws score where the V-statistic's
    /// null distribution puts them and SGLD at a large step far above; without the target it is
    /// undefined.
    ///
    /// The tolerances come from the statistic's sampling distribution. For p = N(0, I_d) the
    /// Stein kernel on the diagonal is k_p(x, x) = ‖x‖² + d, and n·KSD² = (1/n) Σᵢ k_p(xᵢ, xᵢ)
    /// + (1/n) Σ_{i≠j} k_p(xᵢ, xⱼ). On n independent exact draws the first term has mean 2d
    /// (sd √(2d/n)) and the second, a degenerate U-statistic, mean 0 and sd
    /// √(2 E_p[k_p(x, y)²]) with E_p[k_p(x, y)²] = 0.751 for d = 5 (Monte Carlo over 4·10⁶
    /// independent pairs): n·KSD² = 10 ± 1.23. SGLD at h = 0.9 samples q = N(0, σ² I),
    /// σ² = 1/(1 − h/2) = 1.818; there E_q[k_p(x, x)] = d(σ² + 1) = 14.09 and the population
    /// KSD²(q, p) = E_q[k_p(x, y)] = 0.0443 (Monte Carlo as above, ± 0.0006), so
    /// n·KSD² = 14.09 + (n − 1)·0.0443 = 36.2 at n = 500, sd ≈ 2.8 (from Var_x E_y k_p(x, y)
    /// = 0.0027 and E_q[k_p(x, y)²] = 1.25). A direct simulation of 2 000 statistics on n
    /// independent draws agrees: 10.0 ± 1.18 under p, 35.9 ± 3.0 under q (mean ± sd); the
    /// bounds below use sd 1.23 and 3.0. The SGLD draws kept are 72 steps apart, where
    /// SGLD's autocorrelation (1 − h)^72 is nil, so they count as independent. Both
    /// statistics are checked within 5 of their standard deviations, and the biased one
    /// must lie above the exact one's upper bound (expected 6.7 of its sd above it).
    @Test func ksdNeedsTheTargetAndSeesBias() throws {
        let options: [String: ParameterValue] = ["dimension": .number(5)]
        let target = try makeTarget("gaussian-iso", options)
        let exact = try runCell(Cell(sampler: "exact", target: "gaussian-iso", targetOptions: options, stepSize: nil,
                                     seed: 1, chains: 2, steps: 1_000, warmup: 0)).0
        let biased = try runCell(Cell(sampler: "sgld", target: "gaussian-iso", targetOptions: options, stepSize: 0.9,
                                      seed: 1, chains: 2, steps: 20_000)).0
        let n = 500.0
        let diagnostic = KSDDiagnostic(cap: Int(n))
        let onExact = diagnostic.evaluate(exact, target: target)
        #expect(value(onExact, "points") == n)
        let low = try #require(value(onExact, "ksd")), high = try #require(value(diagnostic.evaluate(biased, target: target), "ksd"))
        let exactMean = 10.0, exactSD = 1.23, exactUpper = exactMean + 5 * exactSD
        let biasedMean = 14.09 + (n - 1) * 0.0443, biasedSD = 3.0
        #expect(abs(n * low * low - exactMean) < 5 * exactSD, "n·KSD² on exact draws \(n * low * low)")
        #expect(abs(n * high * high - biasedMean) < 5 * biasedSD, "n·KSD² of SGLD at h = 0.9 \(n * high * high)")
        #expect(n * high * high > exactUpper, "KSD exact \(low), biased \(high)")
        #expect(value(diagnostic.evaluate(exact, reference: target.reference), "ksd") == nil)
    }

    /// `mmd` against the target's exact sampler (fixed seed): exact draws give MMD² within a
    /// few 1/n of 0, the same value on every call; SGLD at h = 1.5, whose stationary law is
    /// N(0, 4I) (variance 1/(1 − h/2)), gives far more.
    @Test func mmdAgainstExactReferenceDraws() throws {
        let options: [String: ParameterValue] = ["dimension": .number(3)]
        let target = try makeTarget("gaussian-iso", options)
        let exact = try runCell(Cell(sampler: "exact", target: "gaussian-iso", targetOptions: options, stepSize: nil,
                                     seed: 3, chains: 2, steps: 1_000, warmup: 0)).0
        let biased = try runCell(Cell(sampler: "sgld", target: "gaussian-iso", targetOptions: options, stepSize: 1.5,
                                      seed: 3, chains: 2, steps: 20_000)).0
        let diagnostic = MMDDiagnostic(cap: 400)
        let first = try #require(value(diagnostic.evaluate(exact, target: target), "mmd2"))
        #expect(abs(first) < 5.0 / 400)
        #expect(value(diagnostic.evaluate(exact, target: target), "mmd2") == first)
        let far = try #require(value(diagnostic.evaluate(biased, target: target), "mmd2"))
        #expect(far > 20.0 / 400, "exact \(first), biased \(far)")
        #expect(value(diagnostic.evaluate(exact, reference: target.reference), "mmd2") == nil)
    }

    /// `stability` reads divergence, resets and the energy errors the sampler reported.
    @Test func stabilityReportsStepInfo() throws {
        var chains = (0..<2).map { _ in ChainRecord(dimension: 4, thin: 1, maxDraws: 4) }
        for (k, e) in [0.2, -0.2, 0.6, 0.2].enumerated() {
            var info = StepInfo()
            info.energyError = e
            info.reset = k == 1
            chains[k % 2].observe(info)
            chains[k % 2].steps += 1
        }
        chains[1].divergenceStep = 1
        let metrics = StabilityDiagnostic().evaluate(try record(chains), reference: unitGaussian(4).reference)
        #expect(value(metrics, "diverged") == 1 && value(metrics, "diverged-chains") == 0.5)
        #expect(value(metrics, "divergence-step") == 1 && value(metrics, "resets") == 1)
        #expect(value(metrics, "resets-per-step") == 0.25)
        // ΔE: mean 0.2, population variance 0.08; per dimension (d = 4): 0.05 and 0.02.
        #expect(abs(try #require(value(metrics, "energy-error-mean-per-dimension")) - 0.05) < 1e-15)
        #expect(abs(try #require(value(metrics, "energy-variance-per-dimension")) - 0.02) < 1e-15)
        #expect(value(metrics, "acceptance-mean") == nil)
    }

    /// `predictive` on a toy classifier: p(class 1 | x_j, θ) = θ for both test points, labels
    /// (1, 0). Draws θ = 0.8 and 0.6 average to 0.7: accuracy ½, NLL = −(ln .7 + ln .3)/2,
    /// agreement with a reference that predicts class 1 everywhere ½... and targets without
    /// predictions get no metrics.
    @Test func predictiveUsesTheTargetsPredictions() throws {
        struct Toy: PredictiveTarget {
            let id = "toy"
            let dimension = 1
            let dataSize = 1
            var reference: Reference { unitGaussian(1).reference }
            func potential(at x: [Double]) -> Double { 0 }
            func potentialGradient(at x: [Double], into gradient: inout [Double]) { gradient[0] = 0 }
            func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) { gradient[0] = 0 }
            func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { [0.5] }
            let predictiveTask = PredictiveTask.classification(classes: 2)
            let testLabels: [Double] = [1, 0]
            func testPredictions(at theta: [Double]) -> TestPrediction {
                .classification(probabilities: [1 - theta[0], theta[0], 1 - theta[0], theta[0]])
            }
            var referencePredictive: ReferencePredictive? { .probabilities([0.4, 0.6, 0.6, 0.4]) }
        }
        var chain = ChainRecord(dimension: 1, thin: 1, maxDraws: 4)
        chain.record([0.8])
        chain.record([0.6])
        let metrics = PredictiveDiagnostic().evaluate(try record([chain]), target: Toy())
        #expect(value(metrics, "accuracy") == 0.5)
        #expect(abs(try #require(value(metrics, "nll")) + (log(0.7) + log(0.3)) / 2) < 1e-12)
        #expect(abs(try #require(value(metrics, "ece")) - 0.2) < 1e-12)  // both in bin 10: |½ − 0.7|
        #expect(value(metrics, "agreement") == 0.5)
        #expect(abs(try #require(value(metrics, "total-variation")) - 0.2) < 1e-12)  // rows: 0.1, 0.3
        #expect(PredictiveDiagnostic().evaluate(try record([chain]), target: unitGaussian(1)).isEmpty)
    }
}

/// N(0, I_d) with an exact reference.
func unitGaussian(_ d: Int) -> GaussianTarget {
    GaussianTarget(id: "unit", scales: [Double](repeating: 1, count: d))
}
