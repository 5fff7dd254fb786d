import Foundation
import Testing
@testable import Plugins
import Workbench

/// The Shampoo preconditioner's block algebra (`sgrld-shampoo`).
@Suite struct ShampooTests {
    /// One d × 1 block and one 1 × d block hold the same vector, and L, R swap roles:
    /// (L+λ)^(−1/4) X (R+λ)^(−1/4) is the same vector either way (the matrices are symmetric).
    /// The chains agree up to rounding, which exercises both sides of the two-sided product.
    @Test func columnAndRowBlocksGiveTheSameChain() throws {
        let (sampler, _) = try SGRLDShampoo.plugin.make(stepSize: 0.01, parameters: ["refresh": .number(3)])
        func draws<S: Sampler>(_ sampler: S, _ block: ParameterBlock) -> [Double] {
            let target = Blocked(base: GaussianTarget(id: "blocks", scales: [Double](repeating: 1, count: 10)), blocks: [block])
            var rng = Xoshiro256StarStar(seed: 4)
            var oracle = GradientOracle(target: target, batchSize: .full, rng: Xoshiro256StarStar(seed: 5))
            var state = sampler.initialState(position: target.initialPoint(rng: &rng), oracle: &oracle, rng: &rng)
            var positions: [Double] = []
            for _ in 0..<500 {
                _ = sampler.step(&state, oracle: &oracle, rng: &rng)
                positions += state.position
            }
            return positions
        }
        let column = draws(sampler, ParameterBlock(rows: 10, columns: 1))
        let row = draws(sampler, ParameterBlock(rows: 1, columns: 10))
        let difference = zip(column, row).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference < 1e-9, "max difference \(difference)")
    }

    /// With β = 0 and one d × 1 block, L = ggᵀ and R = ‖g‖² (g = ∇Ũ/N), so with s = ‖g‖² + λ:
    /// P(∇Ũ) = s^(−1/2) ∇Ũ (∇Ũ ∥ g), and P^(1/2)ξ = s^(−1/4) ĝ(ĝᵀξ) + λ^(−1/8) s^(−1/8) (ξ − ĝ(ĝᵀξ)).
    /// One step from a known point against that closed form (the noise replayed from the seed).
    @Test func oneStepMatchesTheClosedForm() throws {
        let h = 0.01, lambda = 1e-4, d = 5
        let target = try makeTarget("gaussian-iso", ["dimension": .number(Double(d))])
        let (sampler, _) = try SGRLDShampoo.plugin.make(stepSize: h, parameters: ["beta": .number(0), "lambda": .number(lambda)])
        let x = [0.3, -1.1, 0.8, 2.0, -0.4]
        var rng = Xoshiro256StarStar(seed: 12)
        var replay = rng
        let xi = (0..<d).map { _ in replay.normal() }
        func step<S: Sampler>(_ sampler: S) -> [Double] {
            var oracle = GradientOracle(target: target, batchSize: .full, rng: Xoshiro256StarStar(seed: 1))
            var state = sampler.initialState(position: x, oracle: &oracle, rng: &rng)
            _ = sampler.step(&state, oracle: &oracle, rng: &rng)
            return state.position
        }
        let stepped = step(sampler)
        let g = x  // ∇U = x on N(0, I), N = 1
        let s = g.reduce(0) { $0 + $1 * $1 } + lambda
        let norm = (s - lambda).squareRoot()
        let along = zip(g, xi).reduce(0) { $0 + $1.0 * $1.1 } / norm
        for i in 0..<d {
            let unit = g[i] / norm
            let noise = pow(s, -0.25) * unit * along + pow(lambda, -0.125) * pow(s, -0.125) * (xi[i] - unit * along)
            let expected = x[i] - h * pow(s, -0.5) * g[i] + (2 * h).squareRoot() * noise
            #expect(abs(stepped[i] - expected) < 1e-12 * max(1, abs(expected)), "coordinate \(i): \(stepped[i]) vs \(expected)")
        }
    }

    /// Blocks of several shapes (2 × 3 and 4 × 1) tile θ; the chain stays finite.
    @Test func mixedBlocksRun() throws {
        let cell = Cell(sampler: "sgrld-shampoo", target: "gaussian-blocks", stepSize: 1e-3, seed: 2, chains: 2, steps: 2_000)
        let (run, _) = try runTestCell(cell)
        #expect(!run.diverged)
        #expect(run.chains.allSatisfy { $0.draws.allSatisfy(\.isFinite) })
    }
}
