import Foundation
import Workbench

/// The mechanics the microcanonical samplers share (`mclmc`, `sg-mclmc`, `smile`,
/// `smile-precond`; SAMPLERS.md "Microcanonical family"): the ESH momentum update, the
/// isokinetic McLachlan integrator and the partial momentum refresh. Only the samplers in
/// this folder use it; nothing here is a plugin.
///
/// Notation as in SAMPLERS.md: u is the unit momentum, g = ∇log π = −∇U, M^(−1/2) a diagonal
/// preconditioner (`scale`, nil for I), g̃ = M^(−1/2) ⊙ g.
struct IsokineticDynamics {
    /// The minimal-norm (McLachlan) coefficients: b₁, a, b₂ = 1 − 2b₁.
    static let b1 = 0.1931833275037836
    static let a = 0.5
    static let b2 = 1 - 2 * b1

    /// How the integrator obtains its gradients.
    enum GradientSource {
        /// ∇U on all data (`oracle.fullGradient`).
        case full
        /// ∇Ũ on the oracle's current minibatch, with NaN set to 0 and entries clipped to ±1e6
        /// (the guard of the SMILE code, SAMPLERS.md `sg-mclmc`). The step draws the batch
        /// (`GradientOracle.drawBatch`) before it evaluates any gradient on it.
        case stochasticClipped
    }

    let dimension: Int
    /// Position x.
    var position: [Double]
    /// Unit momentum u (zero before SMILE's first step).
    var momentum: [Double]
    /// g = ∇log π at `position` (the estimate the last step used).
    var gradient: [Double]
    /// A copy of the state before the current step, for reverting it.
    var savedPosition: [Double]
    var savedMomentum: [Double]
    var savedGradient: [Double]

    init(position: [Double]) {
        let d = position.count
        let zeros = [Double](repeating: 0, count: d)
        dimension = d
        self.position = position
        momentum = zeros
        gradient = zeros
        savedPosition = position
        savedMomentum = zeros
        savedGradient = zeros
    }

    /// d − 1, the "number of degrees of freedom" of the ESH kinetic energy; 1 when d = 1,
    /// where the isokinetic dynamics is degenerate (u = ±1) and only kept runnable.
    var degreesOfFreedom: Double { Double(max(dimension - 1, 1)) }

    /// Writes g = −∇U (or −∇Ũ, clipped) at `position` into `gradient`.
    mutating func evaluateGradient(_ source: GradientSource, oracle: inout GradientOracle) {
        switch source {
        case .full:
            oracle.fullGradient(at: position, into: &gradient)
            for i in 0..<dimension { gradient[i] = -gradient[i] }
        case .stochasticClipped:
            Self.clippedLogDensityGradient(at: position, into: &gradient, oracle: &oracle)
        }
    }

    /// Writes −∇Ũ(x) on the oracle's current minibatch into `g`, NaN set to 0 and entries
    /// clipped to ±1e6 (`GradientSource.stochasticClipped`). Costs n.
    static func clippedLogDensityGradient(at x: [Double], into g: inout [Double], oracle: inout GradientOracle) {
        oracle.gradientOnCurrentBatch(at: x, into: &g)
        for i in g.indices {
            let value = -g[i]
            g[i] = value.isNaN ? 0 : min(max(value, -1e6), 1e6)
        }
    }

    /// The ESH momentum update for a step of length `s` with the current gradient:
    /// e = g̃/|g̃|, δ = s|g̃|/(d−1), ζ = e^(−δ),
    /// u' = normalise(e(1−ζ)(1 + ζ + (u·e)(1−ζ)) + 2ζu), and it returns the kinetic change
    /// ΔK = (d−1)[δ − ln 2 + ln((1 + u·e)(1 − ζ²) + 2ζ²)]. A zero gradient leaves u alone
    /// (ΔK = 0); a non-finite one returns NaN (the caller reverts).
    mutating func updateMomentum(stepLength s: Double, scale: [Double]?) -> Double {
        let d = dimension
        var squaredNorm = 0.0, dot = 0.0
        for i in 0..<d {
            let g = gradient[i] * (scale?[i] ?? 1)
            squaredNorm += g * g
            dot += momentum[i] * g
        }
        guard squaredNorm.isFinite else { return .nan }
        guard squaredNorm > 0 else { return 0 }
        let norm = squaredNorm.squareRoot()
        let ue = dot / norm
        let dof = degreesOfFreedom
        let delta = s * norm / dof
        let zeta = exp(-delta)
        let along = (1 - zeta) * (1 + zeta + ue * (1 - zeta)) / norm
        let keep = 2 * zeta
        var newNorm = 0.0
        for i in 0..<d {
            let u = along * gradient[i] * (scale?[i] ?? 1) + keep * momentum[i]
            momentum[i] = u
            newNorm += u * u
        }
        let inverse = 1 / newNorm.squareRoot()
        for i in 0..<d { momentum[i] *= inverse }
        return dof * (delta - M_LN2 + log((1 + ue) * (1 - zeta * zeta) + 2 * zeta * zeta))
    }

    /// x ← x + s M^(−1/2) u.
    mutating func updatePosition(stepLength s: Double, scale: [Double]?) {
        for i in 0..<dimension { position[i] += s * (scale?[i] ?? 1) * momentum[i] }
    }

    /// One step of the isokinetic McLachlan integrator of length ε: momentum(b₁ε),
    /// position(aε), momentum(b₂ε), position(aε), momentum(b₁ε), two gradient evaluations
    /// (the first momentum update reuses the gradient of the previous step). With minibatch
    /// gradients both evaluations see the oracle's current batch — one batch per step, as in
    /// the SMILE code's integrator (BlackJAX `isokinetic_mclachlan` on that step's
    /// `logdensity_fn`), whose first kick likewise reuses the previous step's gradient, taken
    /// on the previous batch; the caller draws the batch. Returns the kinetic change ΔK (NaN
    /// when a gradient was not finite).
    mutating func mclachlanStep(stepSize eps: Double, scale: [Double]?, source: GradientSource,
                                oracle: inout GradientOracle) -> Double {
        var kinetic = updateMomentum(stepLength: Self.b1 * eps, scale: scale)
        for half in 0..<2 {
            updatePosition(stepLength: Self.a * eps, scale: scale)
            evaluateGradient(source, oracle: &oracle)
            kinetic += updateMomentum(stepLength: (half == 0 ? Self.b2 : Self.b1) * eps, scale: scale)
        }
        return kinetic
    }

    /// Partial refresh u ← normalise(u + νz), z ~ N(0, I), ν = √((e^(2s/L) − 1)/d): the
    /// Langevin noise of MCLMC for a time `s` with momentum decoherence length L.
    mutating func refreshMomentum(time s: Double, decoherenceLength L: Double, rng: inout Xoshiro256StarStar) {
        guard L.isFinite, L > 0 else { return }
        let nu = ((exp(2 * s / L) - 1) / Double(dimension)).squareRoot()
        var norm = 0.0
        for i in 0..<dimension {
            momentum[i] += nu * rng.normal()
            norm += momentum[i] * momentum[i]
        }
        let inverse = 1 / norm.squareRoot()
        for i in 0..<dimension { momentum[i] *= inverse }
    }

    /// Draws a uniformly random unit momentum.
    mutating func randomizeMomentum(rng: inout Xoshiro256StarStar) {
        var norm = 0.0
        for i in 0..<dimension {
            momentum[i] = rng.normal()
            norm += momentum[i] * momentum[i]
        }
        let inverse = 1 / norm.squareRoot()
        for i in 0..<dimension { momentum[i] *= inverse }
    }

    /// Remembers the current state (before a step that may be reverted).
    mutating func save() {
        for i in 0..<dimension {
            savedPosition[i] = position[i]
            savedMomentum[i] = momentum[i]
            savedGradient[i] = gradient[i]
        }
    }

    /// Restores the state saved by `save()` (position, momentum and gradient).
    mutating func restore() {
        for i in 0..<dimension {
            position[i] = savedPosition[i]
            momentum[i] = savedMomentum[i]
            gradient[i] = savedGradient[i]
        }
    }

    /// Whether position, momentum and gradient are all finite.
    var isFinite: Bool {
        var sum = 0.0
        for i in 0..<dimension { sum += position[i] * 0 + momentum[i] * 0 + gradient[i] * 0 }
        return sum == 0
    }
}
