import Foundation
import Testing
@testable import Plugins
import Workbench

/// The pieces of the SMILE paper's analytic benchmark (arXiv 2602.06500) that can be checked
/// exactly: sg-mclmc's gradient count and batch sharing, its noise preconditioner, and the
/// spatially varied noise model. The statistical reproduction (preconditioned b² against
/// plain, epoch contraction) runs on the release build: Tests/ReproductionCheck.
@Suite struct SeedZeroAnalyticTests {
    /// `sg-mclmc` spends 2n per step plain and 3n with `precond=noise` (the extra gradient of
    /// the preconditioner), plus n at the start.
    @Test func preconditionedStepsCostThreeBatchGradients() throws {
        for (precond, perStep) in [("none", 2), ("noise", 3)] {
            let cell = Cell(sampler: "sg-mclmc", target: "gaussian-illcond",
                            hyperparameters: ["precond": .text(precond)],
                            targetOptions: ["dimension": .number(10), "noise": .text("anisotropic")],
                            stepSize: 0.05, batchSize: 256, seed: 3, chains: 2, steps: 300)
            let (run, _) = try runCell(cell)
            #expect(!run.diverged)
            #expect(run.perDatumGradientEvaluations == 2 * (perStep * 300 + 1) * 256, "precond=\(precond)")
            let plugin = try Registry.builtin.sampler("sg-mclmc")
            let cost = try plugin.chainCost(parameters: ["precond": .text(precond)], batchSize: 256, dataSize: 409_600,
                                            target: TargetCapabilities(analyticHessian: true))
            #expect(cost.perStep == perStep * 256 && cost.setup == 256)
        }
    }

    /// Every gradient of one sg-mclmc step sees the same minibatch (the authors' integrator
    /// evaluates `logdensity_fn` of that step's batch), and the next step draws a new one.
    @Test func aStepEvaluatesAllItsGradientsOnOneBatch() throws {
        for (precond, perStep) in [("none", 2), ("noise", 3)] {
            let log = BatchLog()
            let base = try makeTarget("gaussian-illcond", ["dimension": .number(10), "noise": .text("isotropic"), "data-size": .number(5_000)])
            let target = BatchLoggingTarget(base: base, log: log)
            let sampler = try Registry.builtin.sampler("sg-mclmc").make(stepSize: 0.05, parameters: ["precond": .text(precond)]).0
            let batches = try #require(runSteps(sampler, on: target, steps: 50))
            #expect(batches.count == 1 + 50 * perStep)
            let steps = (0..<50).map { Array(batches[(1 + $0 * perStep)..<(1 + ($0 + 1) * perStep)]) }
            #expect(steps.allSatisfy { Set($0).count == 1 }, "precond=\(precond): a step mixed batches")
            #expect(Set(steps.map { $0[0] }).count == 50, "precond=\(precond): steps repeated a batch")
        }
    }

    /// The preconditioner after a step: m = 0.01 g, s = √(0.99 + 0.01 (g − m)²) from m₀ = 0,
    /// s₀ = 1, with g the log-density gradient at the start on the step's batch, and
    /// p = (1/s) √d/‖1/s‖ (so ‖p‖² = d).
    @Test func preconditionerFollowsTheAuthorsRecurrence() throws {
        let target = try makeTarget("gaussian-illcond", ["dimension": .number(10), "noise": .text("anisotropic")])
        let sampler = try makeSampler("sg-mclmc", SGMCLMC.self, stepSize: 0.01, ["precond": .text("noise")])
        var rng = Xoshiro256StarStar(seed: 4)
        var oracle = GradientOracle(target: target, batchSize: 256, rng: Xoshiro256StarStar(seed: 5))
        var replay = oracle
        let start = target.initialPoint(rng: &rng)
        var state = sampler.initialState(position: start, oracle: &oracle, rng: &rng)
        // The same batch stream: skip the start's batch, draw the step's, take g there.
        var g = start
        replay.gradientOnCurrentBatch(at: start, into: &g)
        replay.drawBatch()
        replay.gradientOnCurrentBatch(at: start, into: &g)
        _ = sampler.step(&state, oracle: &oracle, rng: &rng)
        var inverseNorm = 0.0
        for i in 0..<10 {
            let m = 0.01 * -g[i]
            #expect(abs(state.gradientMean[i] - m) <= 1e-12 * abs(m))
            let s = (0.99 + 0.01 * (-g[i] - m) * (-g[i] - m)).squareRoot()
            #expect(abs(state.gradientSpread[i] - s) <= 1e-12 * s)
            inverseNorm += 1 / (s * s)
        }
        for i in 0..<10 {
            let p = (1 / state.gradientSpread[i]) * 10.0.squareRoot() / inverseNorm.squareRoot()
            #expect(abs(state.scale[i] - p) <= 1e-12 * p)
        }
    }

    /// spatially_varied: the minibatch gradient is that of U(x) − (N/n) e^(−x₃/6.5) S_Bᵀx
    /// (central differences of that potential, S_B read off the gradient at x = 0, agree to
    /// 1e−6 relative), and the closed-form Hessian-vector product matches finite differences
    /// of the gradient on the same batch.
    @Test func spatiallyVariedNoiseHasTheAuthorsGradientAndHessian() throws {
        let target = try makeTarget("gaussian-illcond", ["dimension": .number(5), "noise": .text("spatially_varied"), "data-size": .number(2_000)])
        var oracle = GradientOracle(target: target, batchSize: 64, rng: Xoshiro256StarStar(seed: 6))
        let zero = [Double](repeating: 0, count: 5)
        var g = zero
        oracle.drawBatch()
        oracle.gradientOnCurrentBatch(at: zero, into: &g)
        let factor = 2_000.0 / 64
        let batchSum = g.map { -$0 / factor }  // ∇Ũ(0) = −(N/n) S_B
        func potential(_ x: [Double]) -> Double {
            target.potential(at: x) - factor * exp(-x[2] / 6.5) * zip(batchSum, x).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let x = [0.4, -1.1, -2.3, 0.7, 1.9]
        oracle.gradientOnCurrentBatch(at: x, into: &g)
        for i in 0..<5 {
            var plus = x, minus = x
            plus[i] += 1e-5
            minus[i] -= 1e-5
            let numeric = (potential(plus) - potential(minus)) / 2e-5
            #expect(abs(numeric - g[i]) <= 1e-6 * max(1, abs(g[i])), "coordinate \(i): \(numeric) vs \(g[i])")
        }
        let v = [0.3, 0.2, -0.5, 1.0, -0.4]
        var analytic = zero, numeric = zero
        oracle.hessianVectorProduct(at: x, vector: v, into: &analytic)
        oracle.hessianVectorProduct(at: x, vector: v, into: &numeric, method: .finiteDifference)
        for i in 0..<5 { #expect(abs(analytic[i] - numeric[i]) <= 1e-5 * max(1, abs(analytic[i])), "Hv[\(i)]") }
        var diagonal = zero, rng = Xoshiro256StarStar(seed: 7)
        oracle.hessianDiagonal(at: x, into: &diagonal, rng: &rng)
        for i in 0..<5 {
            var e = zero
            e[i] = 1
            var column = zero
            oracle.hessianVectorProduct(at: x, vector: e, into: &column)
            #expect(abs(diagonal[i] - column[i]) <= 1e-12 * max(1, abs(column[i])), "diag[\(i)]")
        }
    }

    /// The batches (a checksum of each minibatch gradient's indices) of a chain of `steps`.
    private func runSteps(_ sampler: any Sampler, on target: BatchLoggingTarget, steps: Int) -> [Int]? {
        func run<S: Sampler>(_ s: S) -> [Int] {
            var rng = Xoshiro256StarStar(seed: 1)
            var oracle = GradientOracle(target: target, batchSize: 32, rng: Xoshiro256StarStar(seed: 2))
            var state = s.initialState(position: [Double](repeating: 0.5, count: target.dimension), oracle: &oracle, rng: &rng)
            for _ in 0..<steps { _ = s.step(&state, oracle: &oracle, rng: &rng) }
            return target.log.batches
        }
        return run(sampler)
    }
}

/// The batches a target was asked about, in order (test only).
final class BatchLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Int] = []
    func append(_ checksum: Int) { lock.withLock { entries.append(checksum) } }
    var batches: [Int] { lock.withLock { entries } }
}

/// Forwards to `base`, logging a checksum of every minibatch it is given.
struct BatchLoggingTarget: Target {
    let base: any Target
    let log: BatchLog
    var id: String { base.id }
    var dimension: Int { base.dimension }
    var dataSize: Int { base.dataSize }
    var reference: Reference { base.reference }
    func potential(at x: [Double]) -> Double { base.potential(at: x) }
    func potentialGradient(at x: [Double], into gradient: inout [Double]) { base.potentialGradient(at: x, into: &gradient) }
    func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        log.append(batch.reduce(0) { $0 &* 1_000_003 &+ Int($1) })
        base.minibatchPotentialGradient(at: x, batch: batch, into: &gradient)
    }
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { base.initialPoint(rng: &rng) }
}
