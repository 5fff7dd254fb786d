import Foundation
import Workbench

/// The warm-up adaptation `mala` and `hmc` share (SAMPLERS.md "Reference samplers"): the step
/// size by Nesterov dual averaging (Hoffman & Gelman 2014, Algorithm 5: γ = 0.05, t₀ = 10,
/// κ = 0.75, μ = log(10 ε₀)) towards a target acceptance probability, and a diagonal inverse
/// mass matrix from the variance of the warm-up positions, in Stan-like windows of the
/// warm-up W: a fast phase [0, 0.15W) (step size only), two slow windows [0.15W, 0.35W) and
/// [0.35W, 0.85W) at whose ends the inverse mass becomes the window's regularised variance
/// (n/(n+5)) Var + 10⁻³ · 5/(n+5) (Stan's) and dual averaging restarts, and a final fast
/// phase [0.85W, W); after the warm-up the step size is the dual-averaged exp(log ε̄).
/// With no warm-up nothing adapts. Only the mechanism is shared; nothing here is a plugin.
struct MetropolisAdaptation {
    let warmup: Int
    let targetAcceptance: Double
    let slowStart: Int, firstWindowEnd: Int, secondWindowEnd: Int
    /// The step size in use.
    private(set) var stepSize: Double
    /// Diagonal inverse mass M⁻¹ (variance estimates), and √M⁻¹.
    private(set) var inverseMass: [Double]
    private(set) var inverseMassRoot: [Double]
    private var mu: Double
    private var iteration = 0.0
    private var averagedError = 0.0
    private var logAveragedStepSize = 0.0
    private var window: RunningMoments
    private var t = 0

    init(stepSize: Double, dimension d: Int, warmup: Int, targetAcceptance: Double) {
        self.warmup = warmup
        self.targetAcceptance = targetAcceptance
        self.stepSize = stepSize
        slowStart = Int((0.15 * Double(warmup)).rounded())
        firstWindowEnd = Int((0.35 * Double(warmup)).rounded())
        secondWindowEnd = Int((0.85 * Double(warmup)).rounded())
        inverseMass = [Double](repeating: 1, count: d)
        inverseMassRoot = inverseMass
        mu = log(10 * stepSize)
        window = RunningMoments(dimension: d)
    }

    /// Feeds the acceptance probability of the step just taken and the position after it;
    /// adapts while in the warm-up.
    mutating func observe(acceptance: Double, position: [Double]) {
        defer { t += 1 }
        guard t < warmup else { return }
        // Dual averaging.
        iteration += 1
        let eta = 1 / (iteration + 10)
        averagedError = (1 - eta) * averagedError + eta * (targetAcceptance - (acceptance.isNaN ? 0 : acceptance))
        let logStep = mu - iteration.squareRoot() / 0.05 * averagedError
        let weight = pow(iteration, -0.75)
        logAveragedStepSize = weight * logStep + (1 - weight) * logAveragedStepSize
        stepSize = exp(logStep)
        // Mass-matrix windows.
        if t >= slowStart && t < secondWindowEnd {
            window.add(position)
            if t == firstWindowEnd - 1 || t == secondWindowEnd - 1 { closeWindow() }
        }
        if t == warmup - 1 { stepSize = exp(logAveragedStepSize) }
    }

    private mutating func closeWindow() {
        let n = Double(window.count)
        if n >= 3 {
            let variance = window.variance
            for i in inverseMass.indices {
                let v = (n / (n + 5)) * variance[i] * n / (n - 1) + 1e-3 * 5 / (n + 5)
                if v.isFinite && v > 0 {
                    inverseMass[i] = v
                    inverseMassRoot[i] = v.squareRoot()
                }
            }
        }
        window = RunningMoments(dimension: inverseMass.count)
        mu = log(10 * stepSize)
        iteration = 0
        averagedError = 0
        logAveragedStepSize = 0
    }
}

/// What `mala` and `hmc` share beyond the mechanism: their state is a `MetropolisChain`,
/// started at the initial step size h with one full gradient, adapting towards the target
/// acceptance in the warm-up.
public protocol MetropolisSampler: Sampler where State == MetropolisChain {
    var initialStepSize: Double { get }
    var targetAcceptance: Double { get }
}

extension MetropolisSampler {
    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        initialState(position: position, warmup: 0, oracle: &oracle, rng: &rng)
    }

    public func initialState(position: [Double], warmup: Int, oracle: inout GradientOracle,
                             rng: inout Xoshiro256StarStar) -> State {
        MetropolisChain(position: position, warmup: warmup, stepSize: initialStepSize,
                        targetAcceptance: targetAcceptance, oracle: &oracle)
    }
}

/// The state `mala` and `hmc` share: the current point with its gradient and potential, a
/// proposal buffer beside it (swapped in on acceptance, so no step allocates), a momentum
/// buffer (hmc's; mala leaves it alone) and the warm-up adaptation.
public struct MetropolisChain: SamplerState {
    public internal(set) var position: [Double]
    var gradient: [Double]
    var potential: Double
    var proposal: [Double]
    var proposalGradient: [Double]
    var momentum: [Double]
    var adaptation: MetropolisAdaptation

    /// The current step size (h of mala, the leapfrog ε of hmc).
    public var stepSize: Double { adaptation.stepSize }

    /// The chain at `position`: one counted full gradient and one potential evaluation.
    init(position: [Double], warmup: Int, stepSize: Double, targetAcceptance: Double, oracle: inout GradientOracle) {
        var gradient = [Double](repeating: 0, count: position.count)
        oracle.fullGradient(at: position, into: &gradient)
        self.position = position
        self.gradient = gradient
        potential = oracle.potential(at: position)
        proposal = position
        proposalGradient = gradient
        momentum = [Double](repeating: 0, count: position.count)
        adaptation = MetropolisAdaptation(stepSize: stepSize, dimension: position.count, warmup: warmup,
                                          targetAcceptance: targetAcceptance)
    }

    /// Moves to the proposal (whose potential is `proposedPotential`) with probability
    /// `acceptance`, one uniform draw, then lets the adaptation observe the step.
    mutating func acceptOrReject(_ acceptance: Double, proposedPotential: Double, rng: inout Xoshiro256StarStar) {
        if rng.uniform() < acceptance {
            swap(&position, &proposal)
            swap(&gradient, &proposalGradient)
            potential = proposedPotential
        }
        adaptation.observe(acceptance: acceptance, position: position)
    }
}
