import Workbench

enum SamplerChecks {
    static func registration(_ plugin: SamplerPlugin, _ failures: inout FailureList) {
        failures.expect(isCommandLineName(plugin.id), .registration,
                        "id '\(plugin.id)' is not lowercase letters, digits and hyphens")
        failures.expect(!plugin.summary.isEmpty && !plugin.summary.contains("\n"), .registration,
                        "the summary must be one line")
    }

    /// Defaults accepted, bad hyperparameters and (for samplers that use one) bad step sizes
    /// rejected.
    static func parameters(_ plugin: SamplerPlugin, stepSize: Double, _ failures: inout FailureList) {
        let h: Double? = plugin.stepSizePolicy.usesStepSize ? stepSize : nil
        ParameterChecks.rejectsOutOfDomain(plugin.hyperparameters, failures: &failures) {
            try plugin.make(stepSize: h, parameters: $0)
        }
        guard plugin.stepSizePolicy.usesStepSize else { return }
        for bad: Double? in [nil, 0, -stepSize, .nan, .infinity] {
            let text = bad.map { "\($0)" } ?? "none"
            do {
                _ = try plugin.make(stepSize: bad, parameters: [:])
                failures.fail(.parameters, "step size \(text) was accepted")
            } catch let error as WorkbenchError {
                if !(error.description.contains("sampler \(plugin.id)") && error.description.contains("step size")) {
                    failures.fail(.parameters, "rejecting step size \(text), the message must name the sampler and the step size: \(error)")
                }
            } catch {
                failures.fail(.parameters, "step size \(text) threw \(type(of: error)), not a WorkbenchError")
            }
        }
    }

    /// One chain driven step by step with its cost observed: the positions (as bit patterns,
    /// so that NaN equals NaN) and step infos of every step, the set-up cost and each step's
    /// cost in per-datum gradient evaluations.
    struct Trace: Equatable {
        var positions: [[UInt64]] = []
        var infos: [String] = []
        var setupCost = 0
        var stepCosts: [Int] = []
    }

    /// `warmup` of the `steps` are warm-up (samplers that tune themselves do it there); the
    /// chain is set up as `CellRunner` sets it up.
    static func trace<S: Sampler>(_ sampler: S, target: any Target, batchSize: Int, seed: UInt64,
                                  chain: Int, steps: Int, warmup: Int) -> Trace {
        let key = "conformance|\(target.id)"
        var rng = Xoshiro256StarStar(seed: seed, stream: key, index: chain)
        var oracle = GradientOracle(target: target, batchSize: .size(batchSize),
                                    rng: Xoshiro256StarStar(seed: seed, stream: key + "#batches", index: chain))
        // As the runner does: the sampler learns the chain's length, then its warm-up.
        let sampler = sampler.prepared(forSteps: steps)
        var state = sampler.initialState(position: target.initialPoint(rng: &rng), warmup: warmup,
                                         oracle: &oracle, rng: &rng)
        var trace = Trace()
        trace.setupCost = oracle.perDatumGradientEvaluations
        for _ in 0..<steps {
            let before = oracle.perDatumGradientEvaluations
            let info = sampler.step(&state, oracle: &oracle, rng: &rng)
            trace.stepCosts.append(oracle.perDatumGradientEvaluations - before)
            trace.positions.append(state.position.map(\.bitPattern))
            trace.infos.append(describe(info))
        }
        return trace
    }

    /// A per-datum count in minibatch gradients of n, in words.
    static func gradients(_ count: Int, _ n: Int) -> String {
        "\(formatNumber(Double(count) / Double(n))) gradients of n"
    }

    /// StepInfo as text, so NaN fields compare equal to NaN.
    static func describe(_ info: StepInfo) -> String {
        "\(info.diverged) \(info.keep) \(info.energyError) \(info.kineticChange) \(info.acceptance) \(info.reset)"
    }

    /// Determinism, gradient accounting and the tiny step on `targetPlugin`, with the sampler
    /// built from `parameters`.
    static func run(_ plugin: SamplerPlugin, on targetPlugin: TargetPlugin, stepSize: Double,
                    parameters: [String: ParameterValue], _ failures: inout FailureList) {
        let h: Double? = plugin.stepSizePolicy.usesStepSize ? stepSize : nil
        let target: any Target
        let sampler: any Sampler
        let with = parameters.isEmpty ? "" : " with " + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ",")
        do {
            target = try targetPlugin.make(options: [:]).0
            sampler = try plugin.make(stepSize: h, parameters: parameters).0
        } catch {
            failures.fail(.parameters, "cannot build the sampler\(with.isEmpty ? " with its defaults" : with) at h = \(stepSize): \(error)")
            return
        }
        if plugin.incompatibility(with: target) != nil { return }
        let on = "on \(target.id)\(with)"
        let n = target.defaultBatchSize.count(dataSize: target.dataSize)

        // Determinism: the same seed twice, with the same instance and a fresh one.
        let steps = 200, warmup = 20
        let first = trace(sampler, target: target, batchSize: n, seed: 7, chain: 0, steps: steps, warmup: warmup)
        let again = trace(sampler, target: target, batchSize: n, seed: 7, chain: 0, steps: steps, warmup: warmup)
        failures.expect(first.positions.allSatisfy { $0.count == target.dimension }, .determinism,
                        "\(on): the state's position does not have the target's dimension \(target.dimension)")
        failures.expect(first == again, .determinism,
                        "\(on): the same seed gave a different chain (randomness from outside the chain's generator, or state kept in the sampler)")
        if let fresh = try? plugin.make(stepSize: h, parameters: parameters).0 {
            let other = trace(fresh, target: target, batchSize: n, seed: 7, chain: 0, steps: steps, warmup: warmup)
            failures.expect(other == first, .determinism, "\(on): a second instance made with the same settings gave a different chain")
        }
        let otherSeed = trace(sampler, target: target, batchSize: n, seed: 8, chain: 0, steps: steps, warmup: warmup)
        failures.expect(otherSeed.positions != first.positions, .determinism, "\(on): another seed gave the same chain")

        // Gradient accounting: every step, warm-up included, and the set-up cost what the
        // sampler's `gradientCost` declares for this target (whether it has closed-form
        // Hessians changes the second-order costs) — the cost budgets and dry runs use.
        let bigN = target.dataSize
        let declared: GradientCost
        do {
            declared = try plugin.gradientCost(parameters: parameters, target: TargetCapabilities(of: target))
        } catch {
            failures.fail(.parameters, "\(on): cannot resolve the hyperparameters for the cost: \(error)")
            return
        }
        for (label, batch) in [("minibatches of \(n)", n), ("full batch", bigN)] {
            let observed = batch == n
                ? first
                : trace(sampler, target: target, batchSize: batch, seed: 7, chain: 1, steps: 50, warmup: 5)
            let (perStep, setup) = declared.perDatum(batchSize: batch, dataSize: bigN)
            let wrong = observed.stepCosts.enumerated().filter { $0.element != perStep }
            let at = "\(on), \(label) (n = \(batch), N = \(bigN))"
            if let (index, cost) = wrong.first {
                failures.fail(.gradientAccounting,
                              "\(at): gradientCost declares \(declared), \(perStep) per-datum gradient evaluations per step (\(gradients(perStep, batch))), step \(index + 1) cost \(cost) (\(gradients(cost, batch))); \(wrong.count) of \(observed.stepCosts.count) steps differ")
            }
            if observed.setupCost != setup {
                failures.fail(.gradientAccounting,
                              "\(at): gradientCost declares \(declared), a set-up of \(setup) per-datum evaluations; it cost \(observed.setupCost)")
            }
            if batch == bigN { break }
        }

        // No divergence at a tiny step, over the workbench's own runner (warm-up, recording).
        let cell = Cell(sampler: plugin.id, target: targetPlugin.id, hyperparameters: parameters, stepSize: h,
                        batchSize: target.defaultBatchSize.resolved(dataSize: bigN), seed: 11, chains: 2, steps: 1_000, warmup: 100)
        do {
            let registry = try Registry(samplers: [plugin], targets: [targetPlugin])
            let (record, _) = try CellRunner(registry: registry).run(cell, prepared: (target, try ResolvedParameters([:], specs: targetPlugin.parameters, owner: "target")))
            let diverged = record.chains.compactMap(\.divergenceStep)
            failures.expect(diverged.isEmpty, .tinyStep,
                            "\(on): \(diverged.count) of \(record.chains.count) chains diverged at h = \(stepSize) (first at step \(diverged.min() ?? 0))")
            let finite = record.chains.allSatisfy { $0.draws.allSatisfy(\.isFinite) }
            failures.expect(finite, .tinyStep, "\(on): non-finite draws at h = \(stepSize)")
        } catch {
            failures.fail(.tinyStep, "\(on): the runner failed at h = \(stepSize): \(error)")
        }
    }
}
