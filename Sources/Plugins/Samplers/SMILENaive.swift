import Workbench

/// `smile-naive`: SMILE-naive as the authors' UCI benchmark runs it (arXiv 2602.06500, code
/// EmanuelSommer/SMILE: sampler `smiley`, kernel `SMILE`, config
/// `uci_benchmarks/tabular_regr_smile_naive.yaml`) — `smile`'s isokinetic McLachlan step with a
/// fixed ε = h and no energy-variance tuner: no resets, no adaptation, and so no energy error
/// and no potential evaluation. The `smile_tuning` block of that config is never read by the
/// kernel. Cost 2n per step, as `smile`. Like `smile`, declined on exact gradients.
public struct SMILENaive: SMILEConfiguration {
    public let smile: SMILE

    public static let id = "smile-naive"
    public static let summary = "SMILE-naive: smile's step at a fixed ε, no resets (the SMILE paper's UCI runs)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.1, scaling: .length))
    public static let minimumDimension = SMILE.minimumDimension
    public static let needsGradientNoise = true

    public static func gradientCost(parameters p: NoParameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 2, setupBatchGradients: 1)
    }

    public init(stepSize h: Double, parameters p: NoParameters) throws {
        smile = SMILE.untuned(stepSize: h, preconditioned: false)
    }
}

/// `psmile-naive`: pSMILE-naive as the authors' UCI benchmark runs it (code sampler
/// `noisysmile`, config `uci_benchmarks/tabular_regr_psmile_naive.yaml`: reset probability 1.0,
/// adaptation probability and strength 0, so no reset and a fixed ε) — `smile-precond`'s
/// gradient-noise preconditioned step at a fixed ε = h, without the tuner. Cost 2n per step.
public struct PSMILENaive: SMILEConfiguration {
    public let smile: SMILE

    public static let id = "psmile-naive"
    public static let summary = "pSMILE-naive: smile-precond's step at a fixed ε, no resets (the SMILE paper's UCI runs)"
    public static let stepSizePolicy = SMILENaive.stepSizePolicy
    public static let minimumDimension = SMILE.minimumDimension
    public static let needsGradientNoise = true

    public static func gradientCost(parameters p: NoParameters, target: TargetCapabilities) -> GradientCost {
        SMILENaive.gradientCost(parameters: p, target: target)
    }

    public init(stepSize h: Double, parameters p: NoParameters) throws {
        smile = SMILE.untuned(stepSize: h, preconditioned: true)
    }
}

extension SMILE {
    /// `smile` (or `smile-precond`) with resets and adaptation off.
    static func untuned(stepSize h: Double, preconditioned: Bool) -> SMILE {
        var off = Parameters()
        (off.adapt, off.resetQuantile) = (.never, 1)
        return SMILE(stepSize: h, preconditioned: preconditioned, parameters: off)
    }
}

/// A sampler whose every step is that of a configured `smile` (`smile-precond`, `smile-naive`,
/// `psmile-naive`): it declares its id, parameters and cost, and builds the `SMILE` it runs.
public protocol SMILEConfiguration: Sampler where State == SMILE.State {
    var smile: SMILE { get }
}

extension SMILEConfiguration {
    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        smile.initialState(position: position, oracle: &oracle, rng: &rng)
    }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        smile.initialState(position: position, warmup: warmup, oracle: &oracle, rng: &rng)
    }

    @inline(__always)
    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        smile.step(&state, oracle: &oracle, rng: &rng)
    }
}
