/// The gradients of a batch of chains (`BatchedSampler`): one `GradientOracle` per chain, which
/// draws that chain's minibatches from its own generator and counts its cost exactly as when
/// the chain runs alone.
///
/// `stochasticGradients(at:into:)` writes, for every active chain c, row c of the gradients:
/// - full batch on a `BatchGradientTarget`: one call for all rows (each row bit for bit the
///   single-point gradient), each active chain charged N;
/// - otherwise chain by chain: row c goes through chain c's oracle (`stochasticGradient`: its
///   next minibatch, charged n), via scratch vectors, so the chain sees the same batches and
///   the same arithmetic as alone. By default every chain draws its own minibatch.
/// A chain the runner has stopped (diverged) is inactive: it gets no gradient and is charged
/// nothing more, so its count is the one it had when it stopped, as alone.
public struct BatchGradientOracle {
    /// Chain c's oracle: its minibatches, its counts. Samplers start chain c with it.
    public var chains: [GradientOracle]
    /// Whether chain c still runs.
    public private(set) var active: [Bool]
    public let dimension: Int
    @usableFromInline let batchTarget: (any BatchGradientTarget)?
    @usableFromInline var scratchPoint: [Double]
    @usableFromInline var scratchGradient: [Double]

    /// A batch over `target` of the chains whose oracles are `chains` (all over `target`).
    public init(target: any Target, chains: [GradientOracle]) {
        precondition(!chains.isEmpty, "a batch has at least one chain")
        self.chains = chains
        self.active = Array(repeating: true, count: chains.count)
        self.dimension = target.dimension
        self.batchTarget = chains[0].batch.isFull ? target as? any BatchGradientTarget : nil
        scratchPoint = Array(repeating: 0, count: target.dimension)
        scratchGradient = scratchPoint
    }

    /// The number of chains C.
    public var count: Int { chains.count }

    /// Stops chain c: no more gradients, no more cost.
    public mutating func deactivate(_ c: Int) { active[c] = false }

    /// Writes each active chain's stochastic gradient ∇Ũ at its row of `positions` (C × d,
    /// chain-major) into its row of `gradients`; see the type's documentation for how, and
    /// what each chain is charged.
    @inlinable
    public mutating func stochasticGradients(at positions: UnsafeBufferPointer<Double>,
                                             into gradients: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        if let batchTarget {
            batchTarget.potentialGradients(at: positions, into: gradients)
            active.withUnsafeBufferPointer { active in
                chains.withUnsafeMutableBufferPointer { chains in
                    for c in chains.indices where active[c] { chains[c].chargeFullGradient() }
                }
            }
            return
        }
        for c in chains.indices where active[c] {
            for i in 0..<d { scratchPoint[i] = positions[c * d + i] }
            chains[c].stochasticGradient(at: scratchPoint, into: &scratchGradient)
            for i in 0..<d { gradients[c * d + i] = scratchGradient[i] }
        }
    }
}
