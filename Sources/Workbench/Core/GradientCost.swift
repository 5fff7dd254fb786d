/// What a sampler's chain costs in gradients (SAMPLERS.md, "Cost accounting"), as its type
/// declares it (`Sampler.gradientCost`): so many minibatch gradients (n per-datum evaluations
/// each, n = N when full batch) and full gradients (N each) per step, plus a one-off set-up per
/// chain. Second-order queries count as the oracle charges them (see `GradientOracle`): one
/// minibatch gradient when the target has them in closed form, two per finite-difference
/// Hessian-vector product or Hutchinson probe otherwise.
public struct GradientCost: Sendable, Equatable, CustomStringConvertible {
    /// Minibatch-gradient equivalents per step.
    public var batchGradientsPerStep: Int
    /// Full gradients per step (samplers that never take minibatches: mala, hmc, mclmc).
    public var fullGradientsPerStep: Int
    /// Minibatch gradients spent once per chain before the first step (e.g. SGD to a mode).
    public var setupBatchGradients: Int
    /// Full gradients spent once per chain before the first step (e.g. ∇U at a mode).
    public var setupFullGradients: Int

    public init(batchGradientsPerStep: Int = 0, fullGradientsPerStep: Int = 0, setupBatchGradients: Int = 0,
                setupFullGradients: Int = 0) {
        self.batchGradientsPerStep = batchGradientsPerStep
        self.fullGradientsPerStep = fullGradientsPerStep
        self.setupBatchGradients = setupBatchGradients
        self.setupFullGradients = setupFullGradients
    }

    /// No gradients at all (exact draws).
    public static let free = GradientCost()

    /// The cost in per-datum gradient evaluations, per step and once at set-up, with
    /// minibatches of `n` on `N` data (n = N when full batch).
    public func perDatum(batchSize n: Int, dataSize N: Int) -> (perStep: Int, setup: Int) {
        (batchGradientsPerStep * n + fullGradientsPerStep * N, setupBatchGradients * n + setupFullGradients * N)
    }

    /// E.g. "2n per step + 200n at set-up + N at set-up".
    public var description: String {
        func term(_ k: Int, _ unit: String) -> String? { k == 0 ? nil : "\(k == 1 ? "" : "\(k)")\(unit)" }
        let perStep = [term(batchGradientsPerStep, "n"), term(fullGradientsPerStep, "N")].compactMap { $0 }
        var parts = perStep.isEmpty ? ["no gradients per step"] : [perStep.joined(separator: " + ") + " per step"]
        if let setup = term(setupBatchGradients, "n") { parts.append("\(setup) at set-up") }
        if let setup = term(setupFullGradients, "N") { parts.append("\(setup) at set-up") }
        return parts.joined(separator: " + ")
    }
}

/// What a sampler's cost may depend on besides its hyperparameters: whether the target has
/// closed-form second derivatives (`SecondOrderTarget`; without them the oracle charges 2n per
/// finite-difference Hessian-vector product or Hutchinson probe).
public struct TargetCapabilities: Sendable, Equatable {
    public var analyticHessian: Bool

    public init(analyticHessian: Bool) { self.analyticHessian = analyticHessian }

    /// The capabilities of `target`.
    public init(of target: any Target) { analyticHessian = target is any SecondOrderTarget }
}
