/// Stability over a step-size sweep (DIAGNOSTICS.md, `stability`): the cells of a grid that
/// differ only in step size and seed, with the divergence rate at each step size and the
/// largest step size at which no chain of any seed diverged. Reports build their stability
/// tables and figures from `StepSizeSweep.sweeps(_:)`.
public struct StepSizeSweep: Equatable, Sendable {
    /// What stays fixed along the sweep: sampler, target and its options, batch size and
    /// hyperparameters (everything in a cell key but h and the seed).
    public let sampler: String
    public let target: String
    public let targetOptions: [String: ParameterValue]
    public let batchSize: BatchSize
    public let hyperparameters: [String: ParameterValue]
    /// One entry per step size, ascending.
    public let points: [Point]

    public struct Point: Equatable, Sendable {
        public let stepSize: Double
        /// Cells (seeds) run at this step size.
        public let cells: Int
        public let chains: Int
        public let divergedChains: Int
        /// Diverged chains / chains over all seeds.
        public var divergenceRate: Double { chains > 0 ? Double(divergedChains) / Double(chains) : 0 }
    }

    /// The largest step size at which no chain of any seed diverged, nil when every step size
    /// saw a divergence. It is the largest such h even if a smaller h diverged (a
    /// non-monotone sweep); `points` shows the whole picture.
    public var maxStableStepSize: Double? {
        points.filter { $0.divergedChains == 0 }.map(\.stepSize).max()
    }

    /// The sweeps in `results`, in order of first appearance; cells without a step size
    /// (e.g. `exact`) are left out.
    public static func sweeps(_ results: [CellResult]) -> [StepSizeSweep] {
        struct Key: Hashable {
            let sampler: String, target: String
            let options: [String: ParameterValue], batch: BatchSize, hyper: [String: ParameterValue]
        }
        var order: [Key] = []
        var groups: [Key: [CellResult]] = [:]
        for r in results where r.stepSize != nil {
            let key = Key(sampler: r.sampler, target: r.target, options: r.targetOptions, batch: r.batchSize,
                          hyper: r.hyperparameters)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        return order.map { key in
            let cells = groups[key]!
            let steps = Set(cells.compactMap(\.stepSize)).sorted()
            let points = steps.map { h in
                let here = cells.filter { $0.stepSize == h }
                return Point(stepSize: h, cells: here.count, chains: here.reduce(0) { $0 + $1.chains },
                             divergedChains: here.reduce(0) { $0 + $1.divergedChains })
            }
            return StepSizeSweep(sampler: key.sampler, target: key.target, targetOptions: key.options,
                                 batchSize: key.batch, hyperparameters: key.hyper, points: points)
        }
    }
}
