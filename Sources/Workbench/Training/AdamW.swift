import Foundation

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
/// Regularization", ICLR 2019), in the form of optax's `adamw` (which the SMILE code's
/// deep-ensemble warm start uses, `optax` 0.2.1, all parameters decayed).
///
/// At step t = 1, 2, … with gradient g_t of the loss:
///
///     m_t = β₁ m_{t−1} + (1 − β₁) g_t,        v_t = β₂ v_{t−1} + (1 − β₂) g_t²,
///     m̂_t = m_t / (1 − β₁ᵗ),                  v̂_t = v_t / (1 − β₂ᵗ),
///     θ_t = θ_{t−1} − η ( m̂_t / (√v̂_t + ε) + λ θ_{t−1} ).
///
/// The decay λθ is added to the Adam direction, not to the gradient (that would be Adam with
/// L2 regularisation, whose decay is rescaled by √v̂), and is multiplied by the learning rate η
/// as in optax (the paper's schedule multiplier η_t with a constant schedule). Defaults:
/// β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸ (optax's). State is two moment vectors and the step count;
/// `step` allocates nothing.
public struct AdamW: Sendable {
    public var learningRate: Double
    public var weightDecay: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// m and v, and the number of steps taken.
    public private(set) var firstMoment: [Double]
    public private(set) var secondMoment: [Double]
    public private(set) var steps = 0

    public init(dimension: Int, learningRate: Double, weightDecay: Double,
                beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Double](repeating: 0, count: dimension)
        secondMoment = [Double](repeating: 0, count: dimension)
    }

    /// One update of `theta` from the loss gradient `gradient` (same length).
    public mutating func step(_ theta: inout [Double], gradient: [Double]) {
        precondition(theta.count == firstMoment.count && gradient.count == theta.count)
        steps += 1
        let t = Double(steps)
        let c1 = 1 - pow(beta1, t), c2 = 1 - pow(beta2, t)
        let (b1, b2, eta, lambda, eps) = (beta1, beta2, learningRate, weightDecay, epsilon)
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                theta.withUnsafeMutableBufferPointer { x in
                    gradient.withUnsafeBufferPointer { g in
                        for i in 0..<x.count {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            let mHat = m[i] / c1, vHat = v[i] / c2
                            x[i] -= eta * (mHat / (vHat.squareRoot() + eps) + lambda * x[i])
                        }
                    }
                }
            }
        }
    }
}
