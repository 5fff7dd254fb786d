import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// The SMILE paper's regression metrics in `predictive` (DIAGNOSTICS.md, "BNN predictive
/// quality"): coverage of the central predictive intervals, the calibration error, and `lppd`
/// and `rmse-standardised` on the standardised scale.
@Suite struct PredictiveCoverageTests {
    /// Φ⁻¹(½ + c/2) for the nominal levels 0.8, 0.9, 0.95.
    static let z: [Double] = [1.2815515655446004, 1.6448536269514722, 1.959963984540054]

    func value(_ metrics: [Metric], _ name: String) -> Double? {
        metrics.first { $0.name == name }?.value
    }

    /// A regression target whose draw θ = (a, log σ) predicts mean base_j + a and sd σ at
    /// every test point, with y standardised by (shift, scale).
    struct ToyRegression: PredictiveTarget {
        let id = "toy-regression"
        let dimension = 2
        let dataSize = 1
        let base: [Double]
        let testLabels: [Double]
        let standardisation: (mean: Double, sd: Double)
        var reference: Reference { unitGaussian(2).reference }
        func potential(at x: [Double]) -> Double { 0 }
        func potentialGradient(at x: [Double], into gradient: inout [Double]) {}
        func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {}
        func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { [0, 0] }
        let predictiveTask = PredictiveTask.regression
        func testPredictions(at theta: [Double]) -> TestPrediction {
            .regression(mean: base.map { $0 + theta[0] }, sd: [Double](repeating: exp(theta[1]), count: base.count))
        }
        var targetStandardisation: (mean: Double, sd: Double) { standardisation }
    }

    func record(_ draws: [[Double]]) throws -> RunRecord {
        var chain = ChainRecord(dimension: 2, thin: 1, maxDraws: draws.count)
        for draw in draws { chain.record(draw) }
        let none = try ResolvedParameters([:], specs: [], owner: "t")
        return RunRecord(cell: Cell(sampler: "s", target: "t", stepSize: 0.1, steps: draws.count), hyperparameters: none,
                         targetOptions: none, dimension: 2, dataSize: 1, parameterNames: ["a", "log-sd"], chains: [chain],
                         perDatumGradientEvaluations: 0, potentialEvaluations: 0, wallSeconds: 1)
    }

    /// A single Gaussian N(1, 2²), and the same Gaussian twice (a mixture of identical
    /// components): the central interval of level c is 1 ± 2z_c exactly, so a label just
    /// inside (1 − 10⁻⁹ of the way) or just outside (1 + 10⁻⁹) each end is counted accordingly.
    @Test func coverageMatchesAnalyticQuantiles() throws {
        var labels: [Double] = []
        for z in Self.z {
            for sign in [-1.0, 1.0] {
                labels.append(1 + sign * 2 * z * (1 - 1e-9))
                labels.append(1 + sign * 2 * z * (1 + 1e-9))
            }
        }
        // Per level, (inside, outside) at both ends: the label just inside level k's end is
        // inside every level ≥ k; the one just outside is inside every level > k.
        let expected: [Double] = (0..<3).map { k in Double(4 * (k + 1) - 2) / 12 }
        for copies in [1, 2] {
            let n = labels.count
            let means = [Double](repeating: 1, count: copies * n), sds = [Double](repeating: 2, count: copies * n)
            let u = try #require(PredictiveMetrics.predictiveCDF(means: means, sds: sds, labels: labels))
            for (k, level) in PredictiveMetrics.nominalCoverages.enumerated() {
                #expect(PredictiveMetrics.centralIntervalCoverage(predictiveCDF: u, level: level) == expected[k],
                        "level \(level), \(copies) components")
            }
        }
        // A mixture whose components differ: N(0, 1) and N(4, 1) put F(2) = ½ exactly.
        let u = try #require(PredictiveMetrics.predictiveCDF(means: [0, 4], sds: [1, 1], labels: [2]))
        #expect(abs(u[0] - 0.5) < 1e-15)
        #expect(PredictiveMetrics.predictiveCDF(means: [0], sds: [0], labels: [1]) == nil)
        #expect(PredictiveMetrics.predictiveCDF(means: [0, 1, 2], sds: [1, 1, 1], labels: [1, 2]) == nil)
    }

    /// When the predictive is the law the labels come from — y_j drawn from the mixture
    /// (1/S) Σ_s N(m_j + a_s, σ_s²) of S = 4 draws — each coverage is Binomial(n, c)/n: with
    /// n = 4 000 its standard error is √(c(1 − c)/n) (0.0063, 0.0047, 0.0034), and the bound
    /// is 4 of them. The calibration error √(Σ_k gap_k²)/3 is then below
    /// 4√(Σ_k c_k(1 − c_k)/n)/3 = 0.0114. A predictive half as wide covers far less.
    @Test func coverageIsNominalWhenThePredictiveIsTheTruth() throws {
        let n = 4_000
        let draws: [[Double]] = [[-0.5, log(0.7)], [0.2, log(1.0)], [0.9, log(0.4)], [0.0, log(1.5)]]
        var rng = Xoshiro256StarStar(seed: 29)
        let base = (0..<n).map { _ in 3 * rng.normal() }
        let labels = base.map { m -> Double in
            let s = Int(rng.next() % UInt64(draws.count))
            return m + draws[s][0] + exp(draws[s][1]) * rng.normal()
        }
        let target = ToyRegression(base: base, testLabels: labels, standardisation: (0, 1))
        let metrics = PredictiveDiagnostic().evaluate(try record(draws), target: target)
        var bound2 = 0.0
        for (k, level) in PredictiveMetrics.nominalCoverages.enumerated() {
            let se = (level * (1 - level) / Double(n)).squareRoot()
            bound2 += 16 * se * se
            let name = "coverage-\([80, 90, 95][k])"
            let coverage = try #require(value(metrics, name))
            #expect(abs(coverage - level) < 4 * se, "\(name) = \(coverage)")
            #expect(metrics.first { $0.name == name }?.direction == .neutral)
        }
        let error = try #require(value(metrics, "calibration-error"))
        #expect(error < bound2.squareRoot() / 3, "calibration error \(error)")

        let narrow = draws.map { [$0[0], $0[1] - log(2)] }
        let overconfident = PredictiveDiagnostic().evaluate(try record(narrow), target: target)
        #expect(try #require(value(overconfident, "coverage-95")) < 0.8)
        #expect(try #require(value(overconfident, "calibration-error")) > 0.1)
    }

    /// `lppd` is the test log-likelihood of the standardised labels (y − 10)/4 under the
    /// standardised predictive, computed here directly; it equals test-log-likelihood + log 4
    /// (the density of y_std = (y − μ)/s is s times that of y), rmse-standardised is rmse/4, and
    /// coverage is the same on either scale. With the default standardisation (0, 1) the two
    /// scales coincide.
    @Test func standardisedMetricsAndTheirRelationToTheOriginalScale() throws {
        let base = [8.0, 11.0, 15.0, 6.5, 10.0]
        let labels = [9.0, 10.0, 16.5, 4.0, 30.0]
        let draws: [[Double]] = [[0.3, log(2.0)], [-1.0, log(3.0)], [0.5, log(1.2)]]
        let (shift, scale) = (10.0, 4.0)
        let target = ToyRegression(base: base, testLabels: labels, standardisation: (shift, scale))
        let metrics = PredictiveDiagnostic().evaluate(try record(draws), target: target)

        var direct = 0.0, squares = 0.0
        for (j, y) in labels.enumerated() {
            let ys = (y - shift) / scale
            var density = 0.0, mean = 0.0
            for draw in draws {
                let m = (base[j] + draw[0] - shift) / scale, s = exp(draw[1]) / scale
                density += exp(-0.5 * (ys - m) * (ys - m) / (s * s)) / (s * (2 * Double.pi).squareRoot()) / Double(draws.count)
                mean += m / Double(draws.count)
            }
            direct += log(density) / Double(labels.count)
            squares += (mean - ys) * (mean - ys) / Double(labels.count)
        }
        let lppd = try #require(value(metrics, "lppd"))
        let loglik = try #require(value(metrics, "test-log-likelihood"))
        #expect(abs(lppd - direct) < 1e-12, "lppd \(lppd), direct \(direct)")
        #expect(abs(lppd - (loglik + log(scale))) < 1e-12)
        let rmseStandardised = try #require(value(metrics, "rmse-standardised"))
        #expect(abs(rmseStandardised - squares.squareRoot()) < 1e-12)
        #expect(abs(rmseStandardised - (try #require(value(metrics, "rmse"))) / scale) < 1e-12)
        #expect(metrics.first { $0.name == "lppd" }?.direction == .higherIsBetter)
        #expect(metrics.first { $0.name == "rmse-standardised" }?.direction == .lowerIsBetter)

        // Coverage is scale-free: the predictive CDF at the labels on either scale.
        var means: [Double] = [], sds: [Double] = []
        for draw in draws {
            means += base.map { $0 + draw[0] }
            sds += [Double](repeating: exp(draw[1]), count: base.count)
        }
        let u = try #require(PredictiveMetrics.predictiveCDF(means: means, sds: sds, labels: labels))
        let v = try #require(PredictiveMetrics.predictiveCDF(means: means.map { ($0 - shift) / scale }, sds: sds.map { $0 / scale },
                                                             labels: labels.map { ($0 - shift) / scale }))
        for j in labels.indices { #expect(abs(u[j] - v[j]) < 1e-14) }

        let unscaled = PredictiveDiagnostic().evaluate(try record(draws), target: ToyRegression(base: base, testLabels: labels,
                                                                                                 standardisation: (0, 1)))
        #expect(value(unscaled, "lppd") == value(unscaled, "test-log-likelihood"))
        #expect(value(unscaled, "rmse-standardised") == value(unscaled, "rmse"))
        for name in ["coverage-80", "coverage-90", "coverage-95", "calibration-error"] {
            #expect(value(unscaled, name) == value(metrics, name))
        }
    }

    /// The calibration error is the SMILE code's at kappa 0: √(Σ_k (ĉ_k − c_k)²)/K.
    @Test func calibrationErrorIsTheSMILEFormula() throws {
        let observed = [0.7, 0.9, 0.99]
        let error = try #require(PredictiveMetrics.coverageCalibrationError(nominal: PredictiveMetrics.nominalCoverages, observed: observed))
        #expect(abs(error - (0.01 + 0 + 0.0016).squareRoot() / 3) < 1e-15)
        #expect(PredictiveMetrics.coverageCalibrationError(nominal: [0.8, 0.9, 0.95], observed: [0.8, 0.9, 0.95]) == 0)
        #expect(PredictiveMetrics.coverageCalibrationError(nominal: [0.8], observed: []) == nil)
    }
}
