import Testing
@testable import Workbench

@Suite struct GradientNoiseTests {
    func noisy(_ model: GradientNoiseModel) throws -> WithGradientNoise<UnitGaussian> {
        try WithGradientNoise(base: UnitGaussian(dimension: 3), model: model, scale: 2, dataSize: 500, seed: 1,
                          axisScales: [1, 2, 3], covarianceRoot: { $0 })
    }

    /// Σ y_i = 0, so a "minibatch" of all N data gives the exact full gradient.
    @Test func fullDataGradientIsExact() throws {
        for model in [GradientNoiseModel.isotropic, .anisotropic, .correlated, .spatiallyVaried] {
            let target = try noisy(model)
            let x = [0.3, -1.2, 2.0]
            var exact = [0.0, 0, 0], all = [0.0, 0, 0]
            target.potentialGradient(at: x, into: &exact)
            let everything = (0..<500).map(Int32.init)
            target.minibatchPotentialGradient(at: x, batch: everything[...], into: &all)
            for i in 0..<3 { #expect(abs(all[i] - exact[i]) < 1e-9) }
        }
    }

    /// Over one epoch of an oracle (every datum once, n divides N), the minibatch gradients
    /// average to the full gradient exactly; single batches are noisy.
    @Test func minibatchesAreUnbiasedOverAnEpoch() throws {
        let target = try noisy(.anisotropic)
        var oracle = GradientOracle(target: target, batchSize: 50, scheme: .epoch, rng: Xoshiro256StarStar(seed: 2))
        let x = [1.0, 0.5, -0.5]
        var g = [0.0, 0, 0], sum = [0.0, 0, 0], exact = [0.0, 0, 0]
        target.potentialGradient(at: x, into: &exact)
        var spread = 0.0
        for _ in 0..<10 {
            oracle.stochasticGradient(at: x, into: &g)
            for i in 0..<3 { sum[i] += g[i] / 10 }
            spread += abs(g[2] - exact[2])
        }
        for i in 0..<3 { #expect(abs(sum[i] - exact[i]) < 1e-9) }
        #expect(spread > 1)
        #expect(oracle.perDatumGradientEvaluations == 500)
    }
}
