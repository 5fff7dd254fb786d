import Testing
@testable import Workbench

/// Second-order queries through the oracle: closed form where the target has it, counted
/// finite differences and Hutchinson probes otherwise (GradientOracle's cost accounting).
@Suite struct SecondOrderOracleTests {
    /// A = [[2, 0.5, 0], [0.5, 1, −0.3], [0, −0.3, 3]].
    let quadratic = QuadraticTarget(matrix: [2, 0.5, 0, 0.5, 1, -0.3, 0, -0.3, 3])
    let x = [0.7, -1.2, 2.5]
    let v = [1.0, -2.0, 0.5]

    func exactProduct() -> [Double] {
        (0..<3).map { i in (0..<3).reduce(0) { $0 + quadratic.matrix[i * 3 + $1] * v[$1] } }
    }

    /// On a quadratic the central difference is exact up to rounding, ~ε_machine·|∇U|/ε ≈ 1e−10.
    @Test func finiteDifferenceProductCostsTwoGradients() {
        var oracle = GradientOracle(target: quadratic, batchSize: .full, rng: Xoshiro256StarStar(seed: 1))
        #expect(!oracle.hasAnalyticHessian)
        var hv = [Double](repeating: 0, count: 3)
        oracle.hessianVectorProduct(at: x, vector: v, into: &hv)
        for (a, b) in zip(hv, exactProduct()) { #expect(abs(a - b) < 1e-8) }
        #expect(oracle.perDatumGradientEvaluations == 2)
    }

    @Test func closedFormProductCostsOneGradient() {
        var oracle = GradientOracle(target: AnalyticQuadraticTarget(base: quadratic), batchSize: .full, rng: Xoshiro256StarStar(seed: 1))
        #expect(oracle.hasAnalyticHessian)
        #expect(oracle.parameterBlocks == [ParameterBlock(rows: 1, columns: 3)])
        var hv = [Double](repeating: 0, count: 3)
        oracle.hessianVectorProduct(at: x, vector: v, into: &hv)
        #expect(hv == exactProduct())
        #expect(oracle.perDatumGradientEvaluations == 1)
        oracle.hessianVectorProduct(at: x, vector: v, into: &hv, method: .finiteDifference)
        #expect(oracle.perDatumGradientEvaluations == 3)
        var diagonal = hv
        var rng = Xoshiro256StarStar(seed: 2)
        oracle.hessianDiagonal(at: x, into: &diagonal, rng: &rng)
        #expect(diagonal == [2, 1, 3])
        #expect(oracle.hessianTrace(at: x, rng: &rng) == 6)
        #expect(oracle.perDatumGradientEvaluations == 5)
    }

    /// Hutchinson: z ⊙ Az = diag(A) + off-diagonal terms with random signs, so one probe costs 2
    /// gradients and the average over K probes converges to diag(A) with standard error
    /// |a_ij|/√K per off-diagonal term; the trace estimate zᵀAz likewise to tr A = 6.
    @Test func hutchinsonEstimatesAreUnbiasedAndCounted() {
        var oracle = GradientOracle(target: quadratic, batchSize: .full, rng: Xoshiro256StarStar(seed: 1))
        var rng = Xoshiro256StarStar(seed: 3)
        var diagonal = [Double](repeating: 0, count: 3)
        let probes = 4_000
        oracle.hessianDiagonal(at: x, into: &diagonal, rng: &rng, probes: probes)
        #expect(oracle.perDatumGradientEvaluations == 2 * probes)
        // Standard error of coordinate 2 (off-diagonals 0.5 and −0.3): √(0.25 + 0.09)/√K ≈ 0.0092.
        for (estimate, truth) in zip(diagonal, [2.0, 1.0, 3.0]) {
            #expect(abs(estimate - truth) < 4 * (0.34 / Double(probes)).squareRoot())
        }
        let trace = oracle.hessianTrace(at: x, rng: &rng, probes: probes)
        // Var(zᵀAz) = 2 Σ_{i≠j} a_ij² = 2 · 2 · (0.25 + 0.09) = 1.36.
        #expect(abs(trace - 6) < 4 * (1.36 / Double(probes)).squareRoot())
        #expect(oracle.perDatumGradientEvaluations == 4 * probes)
    }

    /// Control variates need a second gradient on the same minibatch: it sees the same data
    /// and costs n again.
    @Test func gradientOnCurrentBatchReusesTheBatch() {
        var oracle = GradientOracle(target: IndexCountingTarget(dataSize: 10), batchSize: 3, rng: Xoshiro256StarStar(seed: 1))
        var g = [Double](repeating: 0, count: 10), again = g
        for _ in 0..<5 {
            oracle.stochasticGradient(at: g, into: &g)
            oracle.gradientOnCurrentBatch(at: again, into: &again)
            #expect(g == again && g.reduce(0, +) == 3)
        }
        #expect(oracle.perDatumGradientEvaluations == 30)
    }
}
