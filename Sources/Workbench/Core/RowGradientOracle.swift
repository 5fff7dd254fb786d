/// The stochastic gradients of C chains at once, one row per chain (C × d, chain-major): what a
/// `BatchedSampler`'s step asks for. A chain's own `GradientOracle` is the oracle of one row
/// (C = 1); a `BatchGradientOracle` is the oracle of a batch's chains. The step is written once,
/// generic over this protocol, and compiled for both.
public protocol RowGradientOracle {
    /// Writes each chain's stochastic gradient ∇Ũ at its row of `positions` into its row of
    /// `gradients` (both C × d): chain c's next minibatch, charged to chain c, exactly as when
    /// it runs alone.
    mutating func stochasticGradients(at positions: [Double], into gradients: inout [Double])
}

extension GradientOracle: RowGradientOracle {
    /// `stochasticGradient(at:into:)`: the one row of a chain alone.
    @inlinable @inline(__always)
    public mutating func stochasticGradients(at positions: [Double], into gradients: inout [Double]) {
        stochasticGradient(at: positions, into: &gradients)
    }
}

extension BatchGradientOracle: RowGradientOracle {
    /// `stochasticGradients(at:into:)` on the arrays' storage.
    @inlinable @inline(__always)
    public mutating func stochasticGradients(at positions: [Double], into gradients: inout [Double]) {
        positions.withUnsafeBufferPointer { x in
            gradients.withUnsafeMutableBufferPointer { stochasticGradients(at: x, into: $0) }
        }
    }
}
