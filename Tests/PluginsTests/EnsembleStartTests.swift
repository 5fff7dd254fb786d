import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// The deep-ensemble warm start (`--start ensemble`): AdamW, the trainer's early stopping,
/// determinism, the refusal on targets that cannot train one, and the "DE" metrics.
@Suite struct EnsembleStartTests {
    /// AdamW's first step is −η(g/(|g| + ε) + λθ) (m̂ = g, v̂ = g²); with a zero gradient only
    /// the decoupled decay acts, θ ← θ(1 − ηλ), whatever the moments (Loshchilov & Hutter).
    @Test func adamWStepsAsWritten() {
        var optimiser = AdamW(dimension: 2, learningRate: 0.1, weightDecay: 0.5)
        var theta = [1.0, -2.0]
        optimiser.step(&theta, gradient: [4, -0.25])
        #expect(abs(theta[0] - (1 - 0.1 * (4 / (4 + 1e-8) + 0.5 * 1))) < 1e-15)
        #expect(abs(theta[1] - (-2 - 0.1 * (-0.25 / (0.25 + 1e-8) + 0.5 * -2))) < 1e-15)
        var decay = AdamW(dimension: 1, learningRate: 0.1, weightDecay: 0.5)
        var x = [3.0]
        decay.step(&x, gradient: [0])
        #expect(abs(x[0] - 3 * (1 - 0.05)) < 1e-15)
    }

    /// Without decay AdamW reaches the minimum of an ill-scaled quadratic
    /// ½ Σ a_i (θ_i − c_i)², a = (100, 1, 0.01): Adam's steps are scale-free, so every
    /// coordinate gets there in the same number of steps. With lr 0.01 for 3 000 steps each
    /// ends within 10⁻³ of c (the residual oscillation is a fraction of η).
    @Test func adamWReachesTheMinimumOfAQuadratic() {
        let a = [100.0, 1, 0.01], c = [1.0, -2, 3]
        var optimiser = AdamW(dimension: 3, learningRate: 0.01, weightDecay: 0)
        var theta = [0.0, 0, 0]
        var gradient = theta
        for _ in 0..<3_000 {
            for i in 0..<3 { gradient[i] = a[i] * (theta[i] - c[i]) }
            optimiser.step(&theta, gradient: gradient)
        }
        for i in 0..<3 { #expect(abs(theta[i] - c[i]) < 1e-3, "coordinate \(i): \(theta[i]) vs \(c[i])") }
    }

    /// The authors' `earlystop`: after k ≥ patience epochs, stop when the last `patience`
    /// losses are all ≥ the one before them (the first, when k = patience), or all NaN.
    @Test func earlyStoppingRule() {
        let p = 3
        #expect(!EnsembleTrainer.shouldStop([1, 1], patience: p))  // fewer than patience
        #expect(EnsembleTrainer.shouldStop([1, 2, 3], patience: p))  // k = p: against the first, itself included
        #expect(!EnsembleTrainer.shouldStop([3, 2, 4], patience: p))
        #expect(!EnsembleTrainer.shouldStop([5, 4, 3, 2], patience: p))
        #expect(EnsembleTrainer.shouldStop([5, 2, 2, 3, 2], patience: p))  // 2, 3, 2 ≥ 2
        #expect(!EnsembleTrainer.shouldStop([5, 2, 2, 3, 1.9], patience: p))
        #expect(EnsembleTrainer.shouldStop([1, .nan, .nan, .nan], patience: p))
        #expect(!EnsembleTrainer.shouldStop([1, .nan, 0.5, .nan], patience: p))
    }

    /// On a tiny problem whose validation losses are scripted (5, 4, 3, 2, 1, then 1.5 for
    /// ever), training stops after epoch 5 + patience and returns the parameters of epoch 5:
    /// the same bits as a run capped at 5 epochs, which returns its last.
    @Test func trainerStopsEarlyAndRestoresTheBest() {
        let toy = ScriptedTarget(losses: [5, 4, 3, 2, 1])
        var trainer = EnsembleTrainer()
        trainer.patience = 4
        var rng = Xoshiro256StarStar(seed: 9)
        let member = trainer.train(toy, rng: &rng)
        #expect(member.stoppedEarly && member.epochs == 9)
        #expect(member.validationLosses == [5, 4, 3, 2, 1, 1.5, 1.5, 1.5, 1.5])
        #expect(member.perDatumGradientEvaluations == 9 * (toy.dataSize / 64) * 64)
        var capped = EnsembleTrainer()
        capped.maxEpochs = 5
        var again = Xoshiro256StarStar(seed: 9)
        let best = capped.train(ScriptedTarget(losses: [5, 4, 3, 2, 1]), rng: &again)
        #expect(!best.stoppedEarly && best.parameters == member.parameters)
        #expect(member.start == member.parameters + [42])
    }

    /// A member is a function of its generator: the same seed gives the same bits, another
    /// member index other bits; the start appends log σ̂ (the training residual sd), and the
    /// trained network fits far better than σ = 1 (the standardised target's sd).
    @Test func membersAreDeterministic() throws {
        let target = try #require(try makeTarget("bnn-smile-energy") as? BNNRegression)
        func member(_ index: Int) -> EnsembleTrainer.Member {
            var rng = EnsembleTrainer.generator(seed: 7, target: "bnn-smile-energy", options: [:], index: index)
            return EnsembleTrainer().train(target, rng: &rng)
        }
        let a = member(0), b = member(0), c = member(1)
        #expect(a.parameters == b.parameters && a.start == b.start && a.epochs == b.epochs)
        #expect(a.parameters != c.parameters)
        #expect(a.start.count == target.dimension && Array(a.start.prefix(target.trainableDimension)) == a.parameters)
        let sigma = exp(a.start.last!)
        #expect(sigma > 0 && sigma < 0.3, "fitted σ̂ \(sigma) on the standardised scale")
        #expect(a.validationLosses.min()! < 0.5 * log(2 * Double.pi) + 0.05)
        #expect(a.epochs <= 200 && a.perDatumGradientEvaluations == a.epochs * (537 / 64) * 64)
    }

    /// `--start ensemble` on a target without a validation split is refused before anything
    /// runs, with a message naming the target (exit 64, `bench run`).
    @Test func targetsWithoutValidationRowsRefuse() throws {
        for id in ["bnn-uci-yacht", "gaussian-iso"] {
            let cell = Cell(sampler: "sgld", target: id, stepSize: 1e-4, start: .ensemble, chains: 1, steps: 10)
            #expect {
                _ = try CellChains(cell, registry: .builtin)
            } throws: { error in
                guard let error = error as? WorkbenchError, case .unsupported(let message) = error else { return false }
                return error.exitCode == 64 && message.contains("'\(id)'") && message.contains("--start ensemble")
            }
        }
    }

    /// A cell that starts from the ensemble: chain c starts at member c, whatever the thread
    /// count; the training cost is reported apart from the sampler's gradients; the
    /// `deep-ensemble` diagnostic scores the mixture of the members; the key says so; a grid
    /// spec accepts `start: ensemble`.
    @Test func aCellStartsFromTheEnsemble() throws {
        let cell = Cell(sampler: "sgld", target: "bnn-smile-energy", stepSize: 1e-8, batchSize: .size(256),
                        start: .ensemble, seed: 3, chains: 2, steps: 20, warmup: 0)
        #expect(cell.key.contains("|start=ensemble|"))
        let (target, options) = try Registry.builtin.target("bnn-smile-energy").make(options: [:])
        let one = try CellRunner(registry: .builtin).run(cell, threads: 1).0
        let two = try CellRunner(registry: .builtin).run(cell, threads: 2).0
        let ensemble = try #require(one.ensemble)
        let sameMembers = ensemble.members == two.ensemble?.members, sameDraws = one.chains.map(\.draws) == two.chains.map(\.draws)
        #expect(sameMembers && sameDraws)
        // Member 1 by hand, from the generator of (seed, target, resolved options, 1).
        var rng = EnsembleTrainer.generator(seed: 3, target: "bnn-smile-energy", options: options.values, index: 1)
        let member = EnsembleTrainer().train(try #require(target as? BNNRegression), rng: &rng)
        let model = try #require(target.modelTransform)
        let same = ensemble.members[1] == model.toModel(member.start)
        #expect(same)
        #expect(ensemble.perDatumGradientEvaluations == ensemble.epochs.reduce(0, +) * 512)
        // The sampler's own gradients, nothing else: what the same cell costs from the target's start.
        var fromTarget = cell
        fromTarget.start = .target
        #expect(one.perDatumGradientEvaluations == (try runCell(fromTarget).0.perDatumGradientEvaluations))
        let result = CellResult(run: one, target: target, diagnostics: [DeepEnsembleDiagnostic(), PredictiveDiagnostic()],
                                provenance: Provenance(revision: "test", toolchain: "", libraries: [:], host: "", date: ""))
        #expect(result.ensemblePerDatumGradientEvaluations == ensemble.perDatumGradientEvaluations)
        #expect(result.ensembleGradientEvaluations == Double(ensemble.perDatumGradientEvaluations) / 537)
        func value(_ name: String) -> Double? { result.metrics.first { $0.name == name }?.value }
        let rmse = try #require(value("de-rmse")), lppd = try #require(value("de-test-log-likelihood"))
        // Energy's heating load has sd ≈ 10; a trained ensemble's test RMSE is a small fraction of it.
        #expect(rmse > 0 && rmse < 2 && lppd.isFinite)
        #expect(value("de-members") == 2)
        // The mixture by hand: (1/M) Σ_m N(y | f_m, σ_m²) on the original scale.
        let bnn = try #require(target as? BNNRegression)
        let predictions = ensemble.members.map { bnn.predictions(atRecorded: $0) }
        let labels = bnn.testLabels
        var total = 0.0
        for j in labels.indices {
            let density = predictions.reduce(0.0) { sum, p in
                let z = (labels[j] - p.mean[j]) / p.sd[j]
                return sum + exp(-z * z / 2) / (p.sd[j] * (2 * Double.pi).squareRoot())
            } / Double(predictions.count)
            total += log(density)
        }
        #expect(abs(total / Double(labels.count) - lppd) < 1e-9 * max(1, abs(lppd)))
        // The paper's metrics of the same mixture: LPPD on the standardised scale is the
        // log-likelihood plus log sd_y, RMSE divides by sd_y; coverages are fractions.
        let sd = bnn.targetStandardisation.sd
        #expect(abs(try #require(value("de-lppd")) - (lppd + log(sd))) < 1e-9 * max(1, abs(lppd)))
        #expect(abs(try #require(value("de-rmse-standardised")) - rmse / sd) < 1e-12)
        #expect(["de-coverage-80", "de-coverage-90", "de-coverage-95", "de-calibration-error"].allSatisfy { name in
            value(name).map { $0 >= 0 && $0 <= 1 } ?? false
        })
        // Without the ensemble start the diagnostic says nothing.
        let plain = try runCell(Cell(sampler: "sgld", target: "bnn-smile-energy", stepSize: 1e-8, chains: 1, steps: 4, warmup: 0)).0
        #expect(plain.ensemble == nil && DeepEnsembleDiagnostic().evaluate(plain, target: target).isEmpty)
        // A grid spec takes `start: ensemble`.
        let path = try scratchFolder("ensemble-spec") + "/spec.yaml"
        try "samplers: [sgld]\ntargets: [bnn-smile-energy]\nstepSizes: [1.0e-8]\nsteps: 10\nstart: ensemble\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try GridSpec.load(from: path).start == .ensemble)
    }
}

/// A two-parameter toy for the trainer: the training gradient is constant (so the parameters
/// after each epoch are known), the validation losses are scripted, then 1.5 for ever.
final class ScriptedTarget: EnsembleTrainable, @unchecked Sendable {
    let id = "scripted"
    let dimension = 3
    let dataSize = 130  // two batches of 64 per epoch, 2 rows dropped
    var reference: Reference { .unavailable(dimension: 3) }
    let losses: [Double]
    var calls = 0

    init(losses: [Double]) { self.losses = losses }

    func potential(at theta: [Double]) -> Double { 0 }
    func potentialGradient(at theta: [Double], into gradient: inout [Double]) {}
    func minibatchPotentialGradient(at theta: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {}
    func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] { [0, 0, 0] }

    var validationRowCount: Int { 10 }
    var trainableDimension: Int { 2 }
    func ensembleInitialParameters(rng: inout Xoshiro256StarStar) -> [Double] { [rng.normal(), rng.normal()] }
    func trainingLoss(at parameters: [Double], batch: ArraySlice<Int32>, gradient: inout [Double]) -> Double {
        gradient[0] = 1
        gradient[1] = Double(batch.first!) / 100
        return 0
    }
    func validationLoss(at parameters: [Double]) -> Double {
        defer { calls += 1 }
        return calls < losses.count ? losses[calls] : 1.5
    }
    func startPoint(fromMember parameters: [Double]) -> [Double] { parameters + [42] }
}
