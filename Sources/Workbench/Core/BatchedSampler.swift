/// A sampler whose chains of one cell can advance together, as one batch (issue 20).
///
/// The batch holds the C chains' states as arrays over the whole batch, chain-major: row c of
/// a C × d array is chain c's vector, so an element-wise update (SGLD's θ ← θ − h g + √(2h) ξ)
/// is one loop over C·d contiguous values that the optimiser vectorises, and a chain's
/// position, gradient or record is a contiguous row (no gather for the target or the
/// recorder). One `step(_:oracle:rngs:)` call advances every chain: gradients for all rows
/// in one oracle call (`BatchGradientOracle`), each chain's normals drawn in one block from
/// its own generator, then the update.
///
/// Contract — a chain's numbers do not depend on the batch: chain c of a batch must compute
/// exactly, bit for bit, what `step` computes for it alone from the same state, generator
/// and oracle — the same operations in the same order on its own row, its generator drawn in
/// the same order, its oracle charged the same. So the same seed gives the same chain whether
/// it runs alone or with any others (a test checks 64 chains against each run alone). A
/// batched step reports no step info: samplers whose `step` reports acceptance, energy errors,
/// resets or skipped draws are not batched (their chains run one by one, through the same
/// runner interface; SAMPLERS.md lists which samplers are batched).
public protocol BatchedSampler: Sampler {
    associatedtype Batch: ChainBatch

    /// The batch of chains whose start states are `states`, in chain order (each made by
    /// `initialState` with its chain's own oracle and generator).
    func batch(_ states: [State]) -> Batch

    /// Advances every chain of `batch` by one step: for each chain c, exactly what `step`
    /// does to it alone, with `rngs[c]` and `oracle`'s chain c. Must not allocate.
    func step(_ batch: inout Batch, oracle: inout BatchGradientOracle, rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>)
}

/// The state of a batch of chains (`BatchedSampler.Batch`).
public protocol ChainBatch: Sendable {
    /// Calls `body` with the chains' positions, chain-major (C × d: row c is chain c's θ).
    func withPositions<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R
}

/// Runs a batch of chains of one sampler: the starts, the chains' loops (one per chain, in
/// chain order), the batch's oracle and the chains' generators. A `SamplerPlugin` holds one
/// for a batched sampler type (`Sampler.batchRunner`), specialised for that type.
public typealias ChainBatchRunner = @Sendable (
    _ sampler: any Sampler, _ starts: [[Double]], _ warmup: Int, _ loops: inout [ChainLoop],
    _ oracle: inout BatchGradientOracle, _ rngs: inout [Xoshiro256StarStar]) -> Void

extension BatchedSampler {
    /// The batch runner of this type: prepares the sampler for the loops' length, starts each
    /// chain with `initialState` (its own oracle and generator), packs the states into a batch
    /// and runs `ChainLoop.runBatch`. Inlinable, so it is specialised where the type is
    /// concrete (the witness of `Sampler.batchRunner` in the sampler's module).
    @inlinable
    public static var batchRunner: ChainBatchRunner? {
        { erased, starts, warmup, loops, oracle, rngs in
            let sampler = (erased as! Self).prepared(forSteps: loops[0].steps)
            var states: [State] = []
            states.reserveCapacity(starts.count)
            for c in starts.indices {
                states.append(sampler.initialState(position: starts[c], warmup: warmup, oracle: &oracle.chains[c], rng: &rngs[c]))
            }
            var batch = sampler.batch(states)
            ChainLoop.runBatch(sampler, &batch, loops: &loops, oracle: &oracle, rngs: &rngs)
        }
    }
}
