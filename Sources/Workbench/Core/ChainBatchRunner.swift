/// Runs a batch of chains of one sampler: the starts, the chains' loops (one per chain, in
/// chain order), the batch's oracle and the chains' generators. A `SamplerPlugin` holds one
/// for a batched sampler type (`BatchedSampler.batchRunner`), specialised for that type, and
/// one for an external sampler (`SamplerPlugin.external`).
@usableFromInline typealias ChainBatchRunner = @Sendable (
    _ sampler: any Sampler, _ starts: [[Double]], _ warmup: Int, _ loops: inout [ChainLoop],
    _ oracle: inout BatchGradientOracle, _ rngs: inout [Xoshiro256StarStar]) -> Void

extension BatchedSampler {
    /// The batch runner of this type: prepares the sampler for the loops' length, starts the
    /// chains together (`initialState(position:oracle:rngs:)` on their start points as rows)
    /// and runs `ChainLoop.runBatch`. Inlinable, so it is specialised where the type is
    /// concrete (`SamplerPlugin.init(_:)`, in the module that registers the type). Not part
    /// of the protocol: the plugin finds it by asking whether its type is a `BatchedSampler`.
    @inlinable
    static var batchRunner: ChainBatchRunner {
        { erased, starts, warmup, loops, oracle, rngs in
            let sampler = (erased as! Self).prepared(forSteps: loops[0].steps)
            var state = rngs.withUnsafeMutableBufferPointer {
                sampler.initialState(position: starts.flatMap { $0 }, oracle: &oracle, rngs: $0)
            }
            ChainLoop.runBatch(sampler, &state, loops: &loops, oracle: &oracle, rngs: &rngs)
        }
    }
}
