import Workbench

/// The results of one configuration (target, sampler, step size, batch size) over its seeds,
/// with the across-seed summaries the report plots: mean, minimum and maximum of a metric
/// over the seeds where it is defined.
struct SeedGroup {
    let target: String
    let sampler: String
    let stepSize: Double?
    let batchSize: BatchSize
    let results: [CellResult]

    /// Groups `results` by configuration, keeping the order in which configurations first
    /// appear (the grid's order).
    static func grouping(_ results: [CellResult]) -> [SeedGroup] {
        var order: [String] = []
        var members: [String: [CellResult]] = [:]
        for r in results where r.status == .ok {
            let key = configuration(of: r)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(r)
        }
        return order.map { key in
            let rs = members[key]!
            return SeedGroup(target: rs[0].targetLabel, sampler: rs[0].samplerLabel, stepSize: rs[0].stepSize,
                             batchSize: rs[0].batchSize, results: rs)
        }
    }

    /// The configuration `result` belongs to (target, sampler, step size, batch size), as a key.
    static func configuration(of result: CellResult) -> String {
        "\(result.targetLabel)|\(result.samplerLabel)|\(result.stepSize.map { "\($0)" } ?? "-")|\(result.batchSize)"
    }

    /// Mean, min and max over seeds of a metric; nil when no seed defines it.
    func spread(_ metric: MetricName) -> (mean: Double, low: Double, high: Double, seeds: Int)? { spread(metric.rawValue) }

    func spread(_ metric: String) -> (mean: Double, low: Double, high: Double, seeds: Int)? {
        let values = results.compactMap { $0.metric(metric) }
        guard let low = values.min(), let high = values.max() else { return nil }
        return (values.reduce(0, +) / Double(values.count), low, high, values.count)
    }

    /// Chains that diverged, over all seeds, and chains run.
    var divergedChains: (diverged: Int, total: Int) {
        (results.reduce(0) { $0 + $1.divergedChains }, results.reduce(0) { $0 + $1.chains })
    }

    /// "sgld h=0.01" / "exact" / "sgld h=0.01 n=256": a short label for legends and bars.
    var label: String {
        var parts = [sampler]
        if let h = stepSize { parts.append("h=\(ReportFormat.number(h))") }
        if case .size(let n) = batchSize { parts.append("n=\(n)") }
        return parts.joined(separator: " ")
    }
}
