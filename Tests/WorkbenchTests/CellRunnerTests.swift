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
    /// SIMD lanes or in the tail, d = 19) is seen, with or without bounds.
    @Test func divergenceCheckSeesEveryCoordinate() {
        let d = 19
        var g = Xoshiro256StarStar(seed: 4)
        let x = (0..<d).map { _ in g.normal() }
        let unbounded = DivergenceBounds(reference: .unavailable(dimension: d), priorScales: nil, dimension: d)
        let bounded = DivergenceBounds(reference: unitReference(d), priorScales: nil, dimension: d)
        x.withUnsafeBufferPointer { p in
            #expect(ChainLoop.isFinite(p))
            #expect(!unbounded.exceeded(p) && !bounded.exceeded(p))
        }
        for i in [0, 7, 8, 15, 16, 18] {
            for bad in [Double.nan, .infinity, -.infinity] {
                var y = x
                y[i] = bad
                y.withUnsafeBufferPointer { p in
                    #expect(!ChainLoop.isFinite(p), "coordinate \(i) = \(bad)")
                    #expect(unbounded.exceeded(p) && bounded.exceeded(p), "coordinate \(i) = \(bad)")
                }
            }
        }
    }

    func unitReference(_ d: Int) -> Reference {
        let ones = [Double](repeating: 1, count: d)
        return Reference(kind: .exact, mean: [Double](repeating: 0, count: d), variance: ones, secondMoment: ones,
                         secondMomentVariance: ones.map { 2 * $0 })
    }

    /// The bounds (DivergenceBounds): one coordinate past 10⁴ reference sds, or past 100 prior
    /// sds where no reference is known, is a divergence — in a lane or in the tail — and a point
    /// inside them is not, whatever d.
    @Test func divergenceBoundsFlagOneCoordinateOutside() {
        for d in [1, 8, 19, 2_000] {
            let reference = DivergenceBounds(reference: unitReference(d), priorScales: nil, dimension: d)
            let prior = DivergenceBounds(reference: .unavailable(dimension: d), priorScales: [Double](repeating: 2, count: d),
                                         dimension: d)
            for i in Set([0, d / 2, d - 1]) {
                var x = [Double](repeating: 50, count: d)
                x.withUnsafeBufferPointer { #expect(!reference.exceeded($0) && !prior.exceeded($0)) }
                x[i] = 1.01e4
                x.withUnsafeBufferPointer { #expect(reference.exceeded($0), "d = \(d), coordinate \(i)") }
                x[i] = -199
                x.withUnsafeBufferPointer { #expect(!prior.exceeded($0)) }
                x[i] = -201
                x.withUnsafeBufferPointer { #expect(prior.exceeded($0), "d = \(d), coordinate \(i)") }
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
