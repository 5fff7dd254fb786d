import Foundation
import Testing
@testable import Plugins
import Workbench

@Suite struct CyclicalSGLDTests {
    /// Kept draws are the SGLD steps, r_k = ((k−1) mod c)/c ≥ β: with K from the run (1000
    /// steps) or from `total-steps`, M = 3 cycles, c = ⌈K/M⌉. Every step costs one gradient.
    @Test(arguments: [(1_000, 0), (1_000, 600), (1_000, 4_000)])
    func keptDrawsFollowTheCycles(steps: Int, totalSteps: Int) throws {
        let k = totalSteps == 0 ? steps : totalSteps
        let c = (k + 2) / 3
        let expected = (0..<steps).filter { Double($0 % c) / Double(c) >= 0.5 }.count
        let cell = Cell(sampler: "cyclical-sgld", target: "std-normal-1d",
                        hyperparameters: ["cycles": .number(3), "total-steps": .number(Double(totalSteps))],
                        stepSize: 0.01, chains: 2, steps: steps, warmup: 0)
        let (run, _) = try runCell(cell)
        #expect(run.chains.allSatisfy { $0.moments.count == expected })
        #expect(run.perDatumGradientEvaluations == 2 * steps)
    }

    /// The step size at step k is (h₀/2)(cos(π r_k) + 1): on U = θ²/2 an SGD step multiplies θ by
    /// 1 − h_k, which the first (exploration) steps show exactly.
    @Test func explorationStepsAreSGDWithTheCosineSchedule() throws {
        let h0 = 0.1, k = 40
        let (sampler, _) = try CyclicalSGLD.plugin.make(stepSize: h0, parameters: ["cycles": .number(2)])
        let prepared = (sampler as! CyclicalSGLD).prepared(forSteps: k)
        var rng = Xoshiro256StarStar(seed: 1)
        var oracle = GradientOracle(target: try makeTarget("std-normal-1d"), batchSize: .full, rng: rng)
        var state = prepared.initialState(position: [1], oracle: &oracle, rng: &rng)
        var expected = 1.0
        for step in 0..<10 {
            let info = prepared.step(&state, oracle: &oracle, rng: &rng)
            expected *= 1 - h0 / 2 * (cos(Double.pi * Double(step) / 20) + 1)
            #expect(!info.keep)
            #expect(abs(state.position[0] - expected) < 1e-14)
        }
    }
}
