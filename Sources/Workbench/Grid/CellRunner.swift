import Foundation

/// Runs one cell: builds the target and sampler from the registry, runs the chains, and
/// returns the run record.
///
/// The chains are `CellChains`' units of work: chain c draws from its own generators, fixed by
/// (`cell.seed`, `cell.key`, c), so a cell's numbers depend only on its key, seed and settings —
/// never on other cells, on thread count or scheduling, nor on whether its chains ran one after
/// another or at once (`ReferenceBuilder` runs the same chains). Minibatches follow
/// `cell.batching`. Chains start from `target.initialPoint`, drawn from the chain's generator,
/// or at the origin (`cell.start`).
///
/// Threads: the chains run on up to `threads` threads, by default the calling thread's share
/// of the cores (``ComputeThreads``): in a grid with more cells than `--jobs`, one each, so
/// chains run one after another and cells in parallel; a cell with cores to spare (`bench
/// run`, a grid's last cells, `--jobs` above the number of cells) runs its chains at once.
///
/// Divergence (DIAGNOSTICS.md, `stability`): a step whose info says so, or whose recorded
/// point is non-finite or outside `DivergenceBounds` (10⁴ reference sds, 100 prior sds),
/// stops that chain; its step index is recorded.
///
/// Memory: a cell whose stored draws would not fit is refused before it runs
/// (`DrawMemory.check`), and each chain reserves only what its steps can record.
///
/// Wall-time cap (`Cell.wallTimeCap`): each chain gets an equal share of it (the cap over the
/// chains one thread runs in turn, `CellChains.runChains(threads:)`) and stops (marked
/// `truncated`) at the first check after its share has passed (checked every 256 steps). A
/// capped chain's length depends on the machine's speed, so capped results are not
/// reproducible bit for bit.
public struct CellRunner: Sendable {
    public let registry: Registry

    public init(registry: Registry) { self.registry = registry }

    /// Builds the target of `cell` (validating its options).
    public func makeTarget(_ cell: Cell) throws -> (any Target, ResolvedParameters) {
        try registry.target(cell.target).make(options: cell.targetOptions)
    }

    /// Runs `cell` on up to `threads` threads (nil: ``ComputeThreads/current``); `prepared`
    /// reuses a target already built for the same id and options. The result does not depend
    /// on `threads` (its wall time aside).
    public func run(_ cell: Cell, prepared: (any Target, ResolvedParameters)? = nil,
                    threads: Int? = nil) throws -> (RunRecord, Reference) {
        let chains = try CellChains(cell, registry: registry, prepared: prepared)
        let start = ContinuousClock.now
        let runs = chains.runChains(threads: threads ?? ComputeThreads.current)
        if let fault = runs.lazy.compactMap(\.fault).first { throw fault }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (chains.record(runs, wallSeconds: seconds), chains.reference)
    }

    /// Whether a run is the setting of samplers' stationary predictions: a 1-D target whose
    /// exact reference is N(0, 1), with full-batch (exact) gradients.
    static func isStandardNormalWithExactGradients(_ target: any Target, reference: Reference, batchSize: BatchSize) -> Bool {
        target.dimension == 1 && reference.kind == .exact && reference.mean == [0] && reference.variance == [1]
            && reference.marginals != nil && batchSize.resolved(dataSize: target.dataSize).isFull
    }

    /// Bins of width 0.1 sd over mean ± 6 sd of coordinate 0, for targets whose marginal is
    /// known in closed form (bin width 0.1 on the standard normal, as in arXiv 2403.08609).
    public static func histogram(for reference: Reference) -> StreamingHistogram? {
        guard reference.marginals != nil, reference.variance[0].isFinite else { return nil }
        let sd = reference.variance[0].squareRoot()
        return StreamingHistogram(lower: reference.mean[0] - 6 * sd, binWidth: 0.1 * sd, bins: 120)
    }
}
