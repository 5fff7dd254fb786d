import Foundation
import Testing
@testable import Plugins
@testable import Workbench

@Suite struct TargetTests {
    /// The Gaussian targets (quadratic potentials); every target, these included, is also
    /// checked with an error bound derived for non-quadratic potentials in `TargetSuiteTests`.
    static let targetIDs = Registry.builtin.targets.map(\.id).filter { $0.hasPrefix("gaussian") || $0 == "std-normal-1d" }

    /// Central differences of U agree with ∇U at random points: the error of a central
    /// difference with step ε on a quadratic is rounding only, ~ ε_machine·|U|/ε.
    @Test(arguments: targetIDs) func gradientMatchesFiniteDifferences(id: String) throws {
        let declaresDimension = try Registry.builtin.target(id).parameters.contains { $0.name == "dimension" }
        let target = try makeTarget(id, declaresDimension ? ["dimension": .number(12)] : [:])
        var rng = Xoshiro256StarStar(seed: 17)
        for _ in 0..<3 {
            let x = target.initialPoint(rng: &rng)
            var g = [Double](repeating: 0, count: target.dimension)
            target.potentialGradient(at: x, into: &g)
            for i in 0..<target.dimension {
                let eps = 1e-5
                var up = x, down = x
                up[i] += eps
                down[i] -= eps
                let fd = (target.potential(at: up) - target.potential(at: down)) / (2 * eps)
                #expect(abs(fd - g[i]) < 1e-6 * max(1, abs(g[i])), "\(id) coordinate \(i): \(fd) vs \(g[i])")
            }
        }
    }

    /// The closed-form Hessian of the Gaussian family (with and without gradient noise) agrees
    /// with central differences of the gradient: H v for a random v, and H e_i for the diagonal.
    @Test(arguments: targetIDs, ["none", "isotropic"]) func hessianMatchesFiniteDifferences(id: String, noise: String) throws {
        var options: [String: ParameterValue] = ["noise": .text(noise), "data-size": .number(50)]
        if try Registry.builtin.target(id).parameters.contains(where: { $0.name == "dimension" }) {
            options["dimension"] = .number(12)
        }
        let target = try makeTarget(id, options)
        #expect(target is any SecondOrderTarget)
        let d = target.dimension
        var rng = Xoshiro256StarStar(seed: 5)
        var oracle = GradientOracle(target: target, batchSize: noise == "none" ? .full : 10, rng: Xoshiro256StarStar(seed: 6))
        let x = target.initialPoint(rng: &rng)
        var g = [Double](repeating: 0, count: d)
        oracle.stochasticGradient(at: x, into: &g)
        let v = (0..<d).map { _ in rng.normal() }
        var exact = g, fd = g
        oracle.hessianVectorProduct(at: x, vector: v, into: &exact)
        oracle.hessianVectorProduct(at: x, vector: v, into: &fd, method: .finiteDifference)
        let scale = exact.reduce(0) { max($0, abs($1)) }
        for i in 0..<d { #expect(abs(exact[i] - fd[i]) < 1e-6 * max(1, scale)) }
        var diagonal = g
        oracle.hessianDiagonal(at: x, into: &diagonal, rng: &rng)
        for i in 0..<d {
            var e = [Double](repeating: 0, count: d)
            e[i] = 1
            oracle.hessianVectorProduct(at: x, vector: e, into: &fd, method: .finiteDifference)
            #expect(abs(diagonal[i] - fd[i]) < 1e-6 * max(1, abs(fd[i])))
        }
        #expect(target.parameterBlocks == [ParameterBlock(rows: d, columns: 1)])
    }

    /// Q is orthogonal and ∇U(Σ e_j) = e_j, i.e. the stored precision inverts Σ = Q diag(c²) Qᵀ.
    @Test func illConditionedGaussianIsConsistent() throws {
        let target = try #require(try makeTarget("gaussian-illcond", ["dimension": .number(20)]) as? GaussianTarget)
        let d = 20
        let q = try #require(target.rotation)
        for i in 0..<d {
            for j in 0..<d {
                let dot = (0..<d).reduce(0.0) { $0 + q[$1 * d + i] * q[$1 * d + j] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-12)
            }
        }
        #expect(abs(target.scales.first! - 0.1) < 1e-12 && abs(target.scales.last! - 10) < 1e-12)
        for j in [0, 7, 19] {
            var e = [Double](repeating: 0, count: d)
            e[j] = 1
            // Σ e_j = Q (c² ⊙ Qᵀ e_j)
            let sigmaColumn = target.rotate(transposeRotate(q, e, d).enumerated().map { $1 * target.scales[$0] * target.scales[$0] })
            var g = [Double](repeating: 0, count: d)
            target.potentialGradient(at: sigmaColumn, into: &g)
            for i in 0..<d { #expect(abs(g[i] - e[i]) < 1e-9) }
        }
    }

    private func transposeRotate(_ q: [Double], _ v: [Double], _ d: Int) -> [Double] {
        (0..<d).map { k in (0..<d).reduce(0.0) { $0 + q[$1 * d + k] * v[$1] } }
    }

    /// Exact draws reproduce the reference moments: over S draws, every standardised mean
    /// error is N(0, 1/S) and every variance ratio has standard error √(2/S); the maximum over
    /// d = 100 coordinates stays below 5 standard errors.
    @Test(arguments: ["gaussian-iso", "gaussian-illcond"]) func exactDrawsMatchTheReference(id: String) throws {
        let cell = Cell(sampler: "exact", target: id, stepSize: nil, seed: 2, chains: 4, steps: 5_000, warmup: 0)
        let (run, reference) = try runCell(cell)
        let s = 20_000.0
        let metrics = MomentsDiagnostic().evaluate(run, reference: reference)
        let value = { (name: String) in metrics.first { $0.name == name }!.value! }
        #expect(value("mean-error-max") < 5 / s.squareRoot())
        #expect(abs(value("variance-ratio-worst") - 1) < 5 * (2 / s).squareRoot())
        #expect(run.gradientEvaluations == 0)
        let ess = ESSPerGradientDiagnostic().evaluate(run, reference: reference)
        #expect(ess.first { $0.name == "ess-per-gradient" }!.value == nil)
    }

    /// Isotropic noise with s = 1: a minibatch of n drawn without replacement from N data with
    /// per-datum variance σ_y² gives Var[∇Ũ_j] = (N²/n) σ_y² (N − n)/(N − 1). Over B = 4000
    /// batches the sample variance has relative standard error √(2/B) ≈ 2.2 %; bound: 4 of them.
    @Test func isotropicNoiseHasThePredictedVariance() throws {
        let target = try #require(try makeTarget("std-normal-1d", ["noise": .text("isotropic")]) as? WithGradientNoise<GaussianTarget>)
        let n = 256, bigN = target.dataSize, batches = 4000
        let sigmaY2 = target.data.reduce(0) { $0 + $1 * $1 } / Double(bigN)
        var oracle = GradientOracle(target: target, batchSize: .size(n), rng: Xoshiro256StarStar(seed: 8))
        var g = [0.0], sum = 0.0, sumSquares = 0.0
        for _ in 0..<batches {
            oracle.stochasticGradient(at: [0.0], into: &g)
            sum += g[0]; sumSquares += g[0] * g[0]
        }
        let mean = sum / Double(batches)
        let variance = (sumSquares - Double(batches) * mean * mean) / Double(batches - 1)
        let predicted = Double(bigN * bigN) / Double(n) * sigmaY2 * Double(bigN - n) / Double(bigN - 1)
        #expect(abs(variance / predicted - 1) < 4 * (2 / Double(batches)).squareRoot())
    }
}

/// The MLP's tanh (`MLP.fastTanh`, Cephes' rational and exp forms) against Foundation's,
/// on both sides of the 0.625 switch, in the tails and at the special values.
@Suite struct FastTanhTests {
    @Test func agreesWithTheLibraryToAFewUlp() {
        var x = -30.0
        while x <= 30 {
            let expected = Foundation.tanh(x), got = MLP.fastTanh(x)
            #expect(abs(got - expected) <= 4 * max(expected.ulp, Double.leastNormalMagnitude), "tanh(\(x)) = \(got), expected \(expected)")
            x += 0.000731
        }
        for x in [0.0, -0.0, 1e-300, -1e-12, 0.625, -0.625, 0.6249999999999999, 22, 22.000001, 700, -700] {
            let expected = Foundation.tanh(x)
            #expect(abs(MLP.fastTanh(x) - expected) <= 4 * max(expected.ulp, Double.leastNormalMagnitude), "tanh(\(x))")
        }
        #expect(MLP.fastTanh(.infinity) == 1 && MLP.fastTanh(-.infinity) == -1 && MLP.fastTanh(.nan).isNaN)
    }

    /// The activation loop (`MLP.applyTanh`: a masked select and a bit mask per block of
    /// 64) gives `fastTanh`'s values bit for bit, in whole blocks and in the tail, for data on
    /// both sides of the switch, at it, in the tails and at the special values (NaN stays NaN).
    @Test func theBranchFreeLoopIsFastTanhBitForBit() {
        var g = Xoshiro256StarStar(seed: 8)
        // 3 untouched values, 16 special ones, 1 000 random ones, 5 untouched: the loop's range
        // of 1 016 is 15 blocks of 64 and a tail of 56.
        var values: [Double] = [9, 9, 9, 0, -0, 0.625, -0.625, 0.6249999999999999, -0.6249999999999999, 22, -22,
                                22.000001, 700, -700, .infinity, -.infinity, .nan, 1e-300, -1e-300]
        values += (0..<1_000).map { _ in g.normal() * (g.uniform() < 0.5 ? 0.5 : 3) }
        values += [9, 9, 9, 9, 9]
        var z = values
        z.withUnsafeMutableBufferPointer { MLP.applyTanh($0, 3..<(values.count - 5)) }
        for (k, x) in values.enumerated() {
            let expected = (3..<(values.count - 5)).contains(k) ? MLP.fastTanh(x) : x
            #expect(z[k].bitPattern == expected.bitPattern || (z[k].isNaN && expected.isNaN), "x = \(x): \(z[k]) vs \(expected)")
        }
    }
}
