import Foundation
import Testing
@testable import Workbench

/// b² of coordinate 0 against N(0, 1): (mean)² + (variance − 1)², named "b2" like the
/// `moments` diagnostic's, so the tuning rule reads it.
struct TestB2Diagnostic: Diagnostic {
    static let id = "test-b2"
    static let summary = "b² of x[1] against N(0, 1)"
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let m = run.pooledMoments
        let b2 = m.mean[0] * m.mean[0] + (m.variance[0] - 1) * (m.variance[0] - 1)
        return [Metric(diagnostic: id, name: "b2", value: b2, unit: "", direction: .lowerIsBetter)]
    }
}

/// The test samplers, the unit Gaussian, and b².
let tuningRegistry = try! Registry(
    samplers: testRegistry.samplers,
    targets: [UnitGaussian.plugin],
    diagnostics: [TestB2Diagnostic.plugin])

@Suite struct TuningSelectionTests {
    func point(_ h: Double, b2: Double?, diverged: Int = 0, ok: Bool = true, ess: Double? = nil) -> TuningPoint {
        TuningPoint(stepSize: h, key: "h=\(h)", ok: ok, chains: 4, divergedChains: diverged, b2: b2, essPerGradient: ess)
    }

    @Test func lowestB2WinsAndTiesGoToTheLargerStepSize() {
        let points = [point(0.01, b2: 0.5), point(0.1, b2: 0.1), point(1, b2: 0.105), point(10, b2: 0.001, diverged: 1),
                      point(20, b2: nil, ok: false)]
        // 0.105 is within 10 % of 0.1: a tie, and the larger h wins; the diverged and failed points never do.
        #expect(TuningSpec(tieTolerance: 0.1).select(points).stepSize == 1)
        #expect(TuningSpec(tieTolerance: 0).select(points).stepSize == 0.1)
        #expect(TuningSpec(tieTolerance: 0.1).select(points).reason.contains("2 of 5 points excluded"))
    }

    @Test func highestESSPerGradientRule() {
        let points = [point(0.01, b2: 0.1, ess: 1), point(0.1, b2: 0.2, ess: 3), point(1, b2: 0.3, ess: 2.95)]
        #expect(TuningSpec(rule: .highestESSPerGradient, tieTolerance: 0).select(points).stepSize == 0.1)
        #expect(TuningSpec(rule: .highestESSPerGradient, tieTolerance: 0.1).select(points).stepSize == 1)
    }

    @Test func withoutAStablePointNothingIsChosen() {
        let (h, reason) = TuningSpec().select([point(1, b2: 0.1, diverged: 2), point(2, b2: nil, diverged: 4)])
        #expect(h == nil)
        #expect(reason == "no stable step size: every sweep point diverged")
        // Stable points without b² (no reference moments): the largest stable step size.
        #expect(TuningSpec().select([point(1, b2: nil), point(2, b2: nil), point(3, b2: nil, diverged: 1)]).stepSize == 2)
    }

    @Test func sweepIsLogSpacedAroundTheCentre() {
        let sweep = TuningSpec(points: 3, span: 100).sweep(centre: 0.1)
        #expect(sweep.count == 3)
        #expect(abs(sweep[0] - 0.01) < 1e-15 && abs(sweep[1] - 0.1) < 1e-15 && abs(sweep[2] - 1) < 1e-14)
        #expect(StepSizeDefault(0.1, scaling: .time).scaled(to: 0.5) == 0.025)
        #expect(StepSizeDefault(0.1, scaling: .length).scaled(to: 0.5) == 0.05)
    }
}

@Suite struct TuningSpecDecodingTests {
    func decode(_ json: String) throws -> GridSpec {
        try JSONDecoder().decode(GridSpec.self, from: Data(json.utf8))
    }

    @Test func tuningFieldsDecodeWithDefaultsAndStepSizesMayBeOmitted() throws {
        let spec = try decode(#"{"steps": 100, "tuning": {"points": 3, "rule": "highest-ess-per-gradient"}}"#)
        #expect(spec.tuning == TuningSpec(points: 3, rule: .highestESSPerGradient))
        #expect(spec.stepSizes.isEmpty)
        try spec.validate()
        let again = try JSONDecoder().decode(GridSpec.self, from: try JSONEncoder().encode(spec))
        #expect(again.tuning == spec.tuning)
    }

    @Test func unknownTuningFieldsAndRulesAreRejected() {
        #expect(throws: DecodingError.self) { try decode(#"{"steps": 100, "tuning": {"pointz": 3}}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"steps": 100, "tuning": {"rule": "best"}}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"steps": 100}"#) }  // no stepSizes, no tuning
    }

    @Test func badTuningValuesAreNamed() throws {
        for (json, name) in [(#"{"points": 1}"#, "points"), (#"{"span": 1}"#, "span"), (#"{"budget": 0}"#, "budget"),
                             (#"{"tieTolerance": -0.1}"#, "tieTolerance"), (#"{"stepSizes": {"sgld": [0]}}"#, "step size of sgld"),
                             (#"{"stepSizes": {"sgld": [0.1, 0.1]}}"#, "step sizes of sgld"), (#"{"extensions": -1}"#, "extensions")] {
            let spec = try decode(#"{"steps": 100, "tuning": "# + json + "}")
            do {
                try spec.validate()
                Issue.record("\(json) validated")
            } catch let error as WorkbenchError {
                #expect(error.description.contains(name), "\(error)")
                #expect(!error.description.contains("\n"))
            }
        }
    }
}

@Suite struct TunedGridTests {
    let spec = GridSpec(samplers: ["all"], targets: ["unit-gaussian"], stepSizes: [], seeds: [1, 2], chains: 2, steps: 300,
                        tuning: TuningSpec(points: 3, span: 10, seed: 99))
    let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")
    let runner = GridRunner(registry: tuningRegistry)

    func fingerprint(_ results: [CellResult]) -> [String] {
        results.map { "\($0.key) \($0.phase.map(\.rawValue) ?? "-") \($0.metrics.map { "\($0.name)=\($0.value.map { $0.bitPattern } ?? 0)" }) \($0.perDatumGradientEvaluations)" }
    }

    @Test func sweepThenFinalCellsAtTheChosenStepSize() throws {
        let outcome = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: 1))
        // 3 sweep cells of test-langevin on seed 99, then 2 final seeds each for both samplers.
        #expect(outcome.results.map(\.phase) == [.tune, .tune, .tune, .final, .final, .final, .final])
        #expect(outcome.results.prefix(3).allSatisfy { $0.seed == 99 && $0.key.hasSuffix("|tune") })
        let decisions = try #require(outcome.tuning)
        #expect(decisions.count == 2)
        let langevin = decisions[0]
        #expect(langevin.points.map(\.stepSize) == TuningSpec(points: 3, span: 10).sweep(centre: 0.1))
        let expected = TuningSpec(points: 3, span: 10, seed: 99).select(langevin.points).stepSize
        #expect(langevin.stepSize == expected && expected != nil)
        #expect(outcome.results[3].stepSize == expected && outcome.results[3].seed == 1)
        #expect(decisions[1].points.isEmpty && decisions[1].stepSize == nil && decisions[1].finalCells.count == 2)
    }

    @Test func anAllDivergedPairIsRecordedAndItsFinalCellsListedAsSkipped() throws {
        var grid = spec
        grid.tuning?.stepSizes = ["test-langevin": [5, 10]]
        let outcome = try runner.run(grid, store: temporaryStore(), provenance: provenance, options: .init(jobs: 2))
        let decision = try #require(outcome.tuning?.first)
        #expect(decision.noStableStepSize && decision.stepSize == nil)
        #expect(decision.reason == "no stable step size: every sweep point diverged")
        #expect(decision.finalCells.isEmpty && decision.skippedCells.count == 2)
        #expect(outcome.results.filter { $0.sampler == "test-langevin" }.allSatisfy { $0.phase == .tune && $0.diverged })
        #expect(outcome.results.filter { $0.sampler == "test-exact" }.count == 2)
    }

    @Test func twoJobsGiveTheSameTunedResultsAsOne() throws {
        let one = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: 1))
        let twoStore = temporaryStore()
        let two = try runner.run(spec, store: twoStore, provenance: provenance, options: .init(jobs: 2))
        #expect(fingerprint(one.results) == fingerprint(two.results))
        #expect(fingerprint(try twoStore.load().results) == fingerprint(one.results))
        #expect(one.tuning == two.tuning)
    }

    /// Interrupted mid-sweep (2 of 3 sweep cells stored, then a torn line): resuming runs the
    /// rest of the sweep and the final cells, and every cell is stored once.
    @Test func resumeMidSweepGivesEveryCellOnce() throws {
        let full = try runner.run(spec, store: temporaryStore(), provenance: provenance, options: .init(jobs: 1))
        let partial = try ResultStore.interrupted(holding: full.results.prefix(2))
        let resumed = try runner.run(spec, store: partial, provenance: provenance, options: .init(jobs: 2, resume: true))
        #expect(resumed.ran == 5 && resumed.skipped == 2)
        let (stored, torn) = try partial.load()
        #expect(torn == 0)
        #expect(Set(stored.map(\.key)).count == stored.count)
        #expect(fingerprint(stored) == fingerprint(full.results))
        // Resuming a finished grid runs nothing and changes nothing.
        let again = try runner.run(spec, store: partial, provenance: provenance, options: .init(jobs: 1, resume: true))
        #expect(again.ran == 0 && fingerprint(again.results) == fingerprint(full.results))
    }

    @Test func mergedShardsEqualTheUnshardedTunedGrid() throws {
        var grid = spec
        grid.targets = ["unit-gaussian"]
        grid.targetOptions = [:]
        func folder(_ shard: Shard?) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("tuned-\(UUID())").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try GridManifest(spec: grid, provenance: provenance, cellCount: 0).write(to: path + "/grid.json")
            _ = try runner.run(grid, store: ResultStore(path: path + "/results.jsonl"), provenance: provenance,
                               options: .init(jobs: 1, shard: shard))
            return path
        }
        let whole = try ResultStore(path: try folder(nil) + "/results.jsonl").load().results
        let shards = [try folder(try Shard(parsing: "2/2")), try folder(try Shard(parsing: "1/2"))]
        // Each shard holds both phases of its pairs.
        for shard in shards {
            let results = try ResultStore(path: shard + "/results.jsonl").load().results
            #expect(Set(results.map(\.sampler)).count == 1)
        }
        let merged = try GridMerge.merge(shards, registry: tuningRegistry)
        #expect(fingerprint(merged.results) == fingerprint(whole))
        #expect(merged.manifest.cellCount == whole.count)
        #expect(merged.tuning?.count == 2)
        // A shard missing: an error, not a silently smaller grid.
        #expect(throws: WorkbenchError.self) { try GridMerge.merge([shards[0]], registry: tuningRegistry) }
    }

    @Test func wallTimeCapStopsChainsAndSaysSo() throws {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, chains: 2, steps: 50_000_000,
                        wallTimeCap: 0.05)
        let (run, reference) = try CellRunner(registry: tuningRegistry).run(cell)
        let result = CellResult(run: run, reference: reference, diagnostics: [], provenance: provenance)
        #expect(result.truncated == true)
        #expect((result.stepsDone ?? .max) < 2 * 50_000_000)
        #expect(run.chains.allSatisfy { $0.truncated && $0.divergenceStep == nil })
    }
}
