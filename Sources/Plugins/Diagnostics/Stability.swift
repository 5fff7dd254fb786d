import Workbench

/// `stability`: did the run stay finite, and what did the sampler's step info say
/// (DIAGNOSTICS.md).
///
/// Per run, over all chains:
/// - `diverged`: 1 when a chain diverged (a non-finite state, ‖θ‖ beyond 1e6 × the reference
///   scale ‖sd‖, or a step that said so; see `CellRunner`), else 0; `diverged-chains` the
///   fraction that did; `divergence-step` the earliest step (0-based, warm-up included) at
///   which one did (nil when none did). For imported draws, a non-finite draw counts.
/// - `resets`: the resets/rejections the sampler reported, and `resets-per-step` per step.
/// - `acceptance-mean`: the mean Metropolis acceptance probability, when reported.
/// - `stuck-chains`: the chains (of those that did not diverge) none of whose coordinates
///   moved: the sd of each coordinate over the chain's post-warm-up steps is below 1 % of
///   the reference sd (`CellHealth.Threshold.stuckMovement`; the sd over all chains pooled
///   when the target has no reference). `movement-min`: the smallest, over those chains, of
///   the largest ratio chain sd / reference sd over coordinates. A chain that keeps rejecting
///   or resetting, or whose step size collapsed, has ratios near 0; a mixing chain near 1.
/// - For samplers that report an energy error ΔE (Hamiltonian, microcanonical):
///   `energy-error-mean-per-dimension` = E[ΔE]/d and `energy-variance-per-dimension` =
///   Var[ΔE]/d, the quantity microcanonical samplers tune to a target of about 5·10⁻⁴
///   (Robnik et al. 2023). Nil when the sampler reports none.
///
/// Over a step-size sweep (several cells) the report uses `StepSizeSweep.sweeps(_:)`: the
/// divergence rate per step size and the largest step size at which no chain of any seed
/// diverged.
public struct StabilityDiagnostic: Diagnostic {
    public static let id = "stability"
    public static let summary = "divergence, its step, resets, acceptance, and ΔE/d mean and Var[ΔE]/d"

    public static let declaredMetrics: [MetricName] = [.resetsPerStep, .acceptanceMean, .stuckChains]

    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let chains = run.chains
        let divergedChains = chains.filter { $0.divergenceStep != nil }.count
        let resets = chains.reduce(0) { $0 + $1.resets }
        let steps = chains.reduce(0) { $0 + $1.steps }
        let acceptance = chains.reduce(RunningMoments(dimension: 1)) { $0.merged(with: $1.acceptance) }
        let energy = chains.reduce(RunningMoments(dimension: 1)) { $0.merged(with: $1.energyError) }
        let d = Double(run.dimension)
        let known = run.importedFrom == nil
        let movement = Self.movement(run, reference: reference)
        return [
            Metric(diagnostic: id, name: "diverged", value: run.diverged ? 1 : 0, unit: "1 = yes", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "diverged-chains", value: chains.isEmpty ? nil : Double(divergedChains) / Double(chains.count),
                   unit: "fraction of chains", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "divergence-step", value: chains.compactMap(\.divergenceStep).min().map(Double.init),
                   unit: known ? "step" : "draw", direction: .neutral),
            Metric(diagnostic: id, name: "resets", value: known ? Double(resets) : nil, unit: "resets", direction: .neutral),
            Metric(diagnostic: id, name: .resetsPerStep, value: known && steps > 0 ? Double(resets) / Double(steps) : nil,
                   unit: "resets per step", direction: .neutral),
            Metric(diagnostic: id, name: .acceptanceMean, value: acceptance.count > 0 ? acceptance.mean[0] : nil,
                   unit: "probability", direction: .neutral),
            Metric(diagnostic: id, name: "energy-error-mean-per-dimension", value: energy.count > 0 ? energy.mean[0] / d : nil,
                   unit: "energy per dimension", direction: .neutral),
            Metric(diagnostic: id, name: "energy-variance-per-dimension", value: energy.count > 0 ? energy.variance[0] / d : nil,
                   unit: "squared energy per dimension", direction: .neutral),
            Metric(diagnostic: id, name: .stuckChains,
                   value: movement.map { Double($0.filter { $0 < CellHealth.Threshold.stuckMovement }.count) },
                   unit: "chains", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "movement-min", value: movement?.min(), unit: "ratio of sds", direction: .neutral),
        ]
    }

    /// Per chain that did not diverge and kept at least two steps: the largest, over
    /// coordinates, of the chain's sd over its post-warm-up steps divided by the reference sd
    /// (the pooled sd where the reference has none). Nil without such a chain.
    static func movement(_ run: RunRecord, reference: Reference) -> [Double]? {
        let chains = run.healthyChains.filter { $0.moments.count >= 2 }
        guard !chains.isEmpty else { return nil }
        let scale = reference.isAvailable && reference.variance.count == run.dimension
            ? reference.variance : run.pooledMoments.variance
        return chains.map { chain in
            zip(chain.moments.variance, scale).map { v, s in s > 0 ? (v / s).squareRoot() : 0 }.max() ?? 0
        }
    }
}
