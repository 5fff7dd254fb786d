/// A sampler whose update is written once, over rows: its `State` holds C chains as arrays
/// over the whole batch, chain-major — row c of a C × d array is chain c's vector, its
/// `position` is the C chains' θ — and C = 1 is a chain alone (issues 20 and 31).
///
/// One `step(_:oracle:rngs:)` advances every row: gradients for all rows in one oracle call
/// (`RowGradientOracle`: a chain's `GradientOracle` for C = 1, a `BatchGradientOracle` for a
/// batch), each chain's normals drawn in one block from its own generator `rngs[c]`
/// (`Xoshiro256StarStar.fillNormal(_:rows:)`), then the update — for an element-wise update
/// (SGLD's θ ← θ − h g + √(2h) ξ) one loop over C·d contiguous values that the optimiser
/// vectorises. A chain's position, gradient or record is a contiguous row (no gather for the
/// target or the recorder). `initialState(position:oracle:rngs:)` starts C chains from their
/// C × d start points the same way.
///
/// The `Sampler` requirements of a chain alone (`initialState(position:oracle:rng:)`,
/// `step(_:oracle:rng:)`) are provided here: the same two functions with C = 1, the chain's
/// oracle and its one generator. So a chain alone and a chain in a batch run the same code; a
/// batched sampler writes neither of them (writing its own would be a second update rule,
/// which this protocol exists to avoid).
///
/// Contract — a chain's numbers do not depend on the batch: row c must be computed exactly,
/// bit for bit, as it is with C = 1 from the same start, generator and oracle — the same
/// operations in the same order on its own row, its generator `rngs[c]` drawn in the same
/// order, its oracle charged the same; values shared by the rows (a schedule's h_t at the
/// common step count) may be computed once. So the same seed gives the same chain whether it
/// runs alone or with any others (a test checks 64 chains against each run alone). A batched
/// step reports no step info: samplers whose steps report acceptance, energy errors, resets or
/// skipped draws are not batched (their chains run one by one, through the same runner
/// interface; SAMPLERS.md lists which samplers are batched). A batched sampler's start does not
/// see the warm-up length (`initialState(position:warmup:oracle:rng:)` keeps its default).
public protocol BatchedSampler: Sampler {
    /// The state of C chains at `position` (C × d, chain-major: chain c starts at row c), C the
    /// number of generators in `rngs`, chain c drawing from `rngs[c]` and `oracle`'s chain c.
    func initialState<Oracle: RowGradientOracle>(position: [Double], oracle: inout Oracle,
                                                 rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>) -> State

    /// Advances every chain of `state` by one step, chain c with `rngs[c]` and `oracle`'s
    /// chain c (see the type's contract). Must not allocate.
    func step<Oracle: RowGradientOracle>(_ state: inout State, oracle: inout Oracle,
                                         rngs: UnsafeMutableBufferPointer<Xoshiro256StarStar>)
}

extension BatchedSampler {
    /// A chain alone: `initialState(position:oracle:rngs:)` with C = 1.
    @inlinable
    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        withUnsafeMutablePointer(to: &rng) { initialState(position: position, oracle: &oracle, rngs: .init(start: $0, count: 1)) }
    }

    /// A chain alone: `step(_:oracle:rngs:)` with C = 1.
    @inlinable @inline(__always)
    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        withUnsafeMutablePointer(to: &rng) { step(&state, oracle: &oracle, rngs: .init(start: $0, count: 1)) }
        return StepInfo()
    }
}
