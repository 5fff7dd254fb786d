import Testing
@testable import Workbench

@Suite struct CellRunnerTests {
    let runner = CellRunner(registry: testRegistry)

    @Test func sameSeedSameChainsBitForBit() throws {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, seed: 9, chains: 3, steps: 500)
        let (a, _) = try runner.run(cell)
        let (b, _) = try runner.run(cell)
        #expect(a.chains.map(\.draws) == b.chains.map(\.draws))
        var other = cell
        other.seed = 10
        let (c, _) = try runner.run(other)
        #expect(a.chains.map(\.draws) != c.chains.map(\.draws))
        #expect(a.chains[0].draws != a.chains[1].draws)
    }

    /// 3 chains × 500 steps of one full gradient each on a target with N = 1.
    @Test func gradientsAreCountedIncludingWarmup() throws {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, chains: 3, steps: 500, warmup: 100)
        let (run, _) = try runner.run(cell)
        #expect(run.perDatumGradientEvaluations == 1500)
        #expect(run.gradientEvaluations == 1500)
        #expect(run.chains.allSatisfy { $0.moments.count == 400 })
    }

    /// Euler–Maruyama on N(0, 1) is unstable for h > 2: the chain must be stopped and its
    /// divergence step recorded, not crash.
    @Test func divergenceStopsTheChain() throws {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 3, chains: 2, steps: 10_000)
        let (run, _) = try runner.run(cell)
        #expect(run.diverged && run.healthyChains.isEmpty)
        for chain in run.chains {
            #expect(chain.divergenceStep != nil && chain.steps < 10_000)
        }
    }

    /// The divergence check's vectorised helpers: a non-finite coordinate anywhere (in the
    /// SIMD lanes or in the tail, d = 19) is seen, and ‖x‖² agrees with a sequential sum to
    /// rounding.
    @Test func divergenceCheckSeesEveryCoordinate() {
        let d = 19
        var g = Xoshiro256StarStar(seed: 4)
        let x = (0..<d).map { _ in g.normal() }
        let sequential = x.reduce(0) { $0 + $1 * $1 }
        x.withUnsafeBufferPointer { p in
            #expect(ChainLoop.isFinite(p))
            #expect(abs(ChainLoop.squaredNorm(p) - sequential) <= 1e-14 * sequential)
        }
        for i in [0, 7, 8, 15, 16, 18] {
            for bad in [Double.nan, .infinity, -.infinity] {
                var y = x
                y[i] = bad
                y.withUnsafeBufferPointer { p in
                    #expect(!ChainLoop.isFinite(p), "coordinate \(i) = \(bad)")
                    #expect(!ChainLoop.squaredNorm(p).isFinite)
                }
            }
        }
    }

    @Test func exactSamplerNeedsAnExactTarget() {
        let cell = Cell(sampler: "test-exact", target: "index-counting", stepSize: nil, steps: 10)
        #expect(throws: WorkbenchError.self) { try runner.run(cell) }
    }

    @Test func badChainSettingsAreNamed() {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, chains: 0, steps: 10)
        #expect(throws: WorkbenchError.self) { try runner.run(cell) }
        let zeroStep = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0, steps: 10)
        #expect(throws: WorkbenchError.self) { try runner.run(zeroStep) }
    }
}

@Suite struct TraceTests {
    /// 3 chains × 1000 recorded steps: at most 200 points per chain, 5 steps apart.
    @Test func tracesAreShortAndEvenlySpaced() throws {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, chains: 3, steps: 1100, warmup: 100)
        let (run, reference) = try CellRunner(registry: testRegistry).run(cell)
        let p = Provenance(revision: "", toolchain: "", libraries: [:], host: "", date: "")
        let trace = try #require(CellResult(run: run, reference: reference, diagnostics: [], provenance: p).trace)
        #expect(trace.chains.count == 3 && trace.chains.allSatisfy { $0.count == 200 })
        #expect(trace.stepsPerPoint == 5)
        #expect(trace.chains[1][3] == run.chains[1].draws[15 * run.dimension])
    }
}
