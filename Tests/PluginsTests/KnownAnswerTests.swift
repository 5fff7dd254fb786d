import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// A planted broken sampler: every step returns its input position unchanged (and spends a
/// gradient, so it runs under a budget like a real one).
struct FrozenSampler: Sampler {
    static let id = "frozen"
    static let summary = "returns its input position unchanged"
    static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .time))

    static func gradientCost(parameters: NoParameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    init(stepSize: Double, parameters: NoParameters) {}

    struct State: SamplerState {
        var position: [Double]
        var gradient: [Double]
    }
    func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        State(position: position, gradient: position)
    }
    func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        return StepInfo()
    }
}

/// The known-answer gate (`KnownAnswerCheck`, baselines/known-answers.json): a correct sampler
/// passes, a planted sampler that never moves fails with the reason, a listed known failure
/// passes the gate, and a listed pair that passes is stale.
@Suite struct KnownAnswerTests {
    static let provenance = Provenance(revision: "test", toolchain: "", libraries: [:], host: "", date: "")

    /// `sgld` and the frozen sampler on std-normal-1d under the gate's protocol (tuned,
    /// health and b² read) at a budget a fifth of the preset's: 1-D, so ESS is plentiful.
    static let run: (results: [CellResult], decisions: [TuningDecision]) = {
        let registry = try! Registry.builtin + [FrozenSampler.plugin]
        var spec = GridPresets.knownAnswers
        spec.samplers = ["sgld", "frozen"]
        spec.targets = ["std-normal-1d"]
        spec.gradientBudget = 20_000
        spec.tuning?.budget = 5_000
        let folder = try! scratchFolder("known-answers")
        let outcome = try! GridRunner(registry: registry).run(
            spec, store: ResultStore(path: folder + "/results.jsonl"), provenance: provenance, options: .init(jobs: 2))
        return (outcome.results, outcome.tuning ?? [])
    }()

    static let answers = KnownAnswers(preset: "known-answers", targets: ["std-normal-1d"], b2Bias: 0.023, b2Quantile: 10.8,
                                      b2BoundReason: "")

    func outcome(_ check: KnownAnswerCheck, _ sampler: String) -> KnownAnswerCheck.Outcome? {
        check.rows.first { $0.sampler == sampler }?.outcome
    }

    @Test func aCorrectSamplerPassesAndAFrozenOneFailsWithItsReason() throws {
        let check = KnownAnswerCheck(results: Self.run.results, decisions: Self.run.decisions, answers: Self.answers, failures: [])
        #expect(outcome(check, "sgld") == .pass)
        guard case .failed(let why)? = outcome(check, "frozen") else {
            Issue.record("the frozen sampler was not failed: \(String(describing: outcome(check, "frozen")))")
            return
        }
        #expect(why.contains("stuck"))
        #expect(!check.passed)
        // A biased answer fails on b² alone: no bias allowed and a tiny Monte Carlo share.
        let strict = KnownAnswers(preset: "known-answers", targets: ["std-normal-1d"], b2Bias: 0, b2Quantile: 1e-9, b2BoundReason: "")
        guard case .failed(let biased)? = outcome(KnownAnswerCheck(results: Self.run.results, decisions: Self.run.decisions,
                                                                   answers: strict, failures: []), "sgld") else {
            Issue.record("sgld passed a bound of 1e-9 / ESS")
            return
        }
        #expect(biased.contains("b²") && biased.contains("ESS"))
        #expect(check.markdown().contains("FAIL"))
    }

    @Test func aListedFailureKeepsTheGateGreenAndAListedPassIsStale() {
        let frozen = KnownFailure(sampler: "frozen", target: "std-normal-1d", reason: "planted")
        let listed = KnownAnswerCheck(results: Self.run.results, decisions: Self.run.decisions, answers: Self.answers, failures: [frozen])
        #expect(outcome(listed, "frozen") == .knownFailure("planted"))
        #expect(listed.passed)
        let stale = KnownAnswerCheck(results: Self.run.results, decisions: Self.run.decisions, answers: Self.answers,
                                     failures: [frozen, KnownFailure(sampler: "sgld", target: "std-normal-1d", reason: "old")])
        guard case .stale? = outcome(stale, "sgld") else {
            Issue.record("a listed pair that passes was not called stale")
            return
        }
        #expect(!stale.passed)
        let unmatched = KnownAnswerCheck(results: Self.run.results, decisions: Self.run.decisions, answers: Self.answers,
                                         failures: [frozen, KnownFailure(sampler: "sgld", target: "funnel", reason: "renamed")])
        #expect(unmatched.unmatched.count == 1 && !unmatched.passed)
    }

    /// The checked-in files parse, and every known failure names a pair of the answers' targets.
    @Test func theCheckedInFilesLoad() throws {
        let answers = try KnownAnswers.load(from: ProjectPaths.root + "/baselines/known-answers.json")
        #expect(answers.preset == "known-answers")
        #expect(answers.targets == GridPresets.knownAnswers.targets)
        let failures = try KnownFailure.load(from: ProjectPaths.root + "/baselines/known-failures.json")
        for f in failures {
            #expect(answers.targets.contains(f.target), "\(f.sampler) on \(f.target)")
            #expect(!f.reason.isEmpty)
        }
    }
}
