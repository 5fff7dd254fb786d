import Workbench

/// `ess`: rank-normalised bulk-ESS, tail-ESS and split-R̂ (Vehtari, Gelman, Simpson, Carpenter
/// & Bürkner 2021; computed exactly as Stan's `posterior` package does, see
/// `ConvergenceStatistics`), per coordinate, on the stored draws of the chains that did not
/// diverge; reported as the minimum ESS and maximum R̂ over coordinates.
///
/// Also `bulk-ess-x2-min` (bulk-ESS of f(x) = x²); the cost-normalised ESS is the
/// `ess-per-gradient` diagnostic's (DIAGNOSTICS.md). Stored draws are thinned (see `ChainRecord`); the ESS of the
/// thinned chains estimates that of the full chains when the thinning is below the
/// autocorrelation time, and never exceeds the number of stored draws — `thinning` and
/// `draws` say what was used. Undefined values (every chain diverged, a constant coordinate,
/// fewer than 4 draws per chain) are nil.
public struct ESSDiagnostic: Diagnostic {
    public static let id = "ess"
    public static let summary = "bulk/tail ESS and split-R̂ (Vehtari et al. 2021)"

    public static let declaredMetrics: [MetricName] = [.bulkESSMin, .tailESSMin, .bulkESSSquaresMin, .rhatMax]

    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        // Coordinates in parallel; each is a pure function of its draws, so the metrics do not
        // depend on the number of cores.
        let coordinates = run.convergenceByCoordinate()
        let bulkMin = coordinates.map(\.summary.bulkESS).minimumIfAllDefined
        let tailMin = coordinates.map(\.summary.tailESS).minimumIfAllDefined
        let squaresMin = coordinates.map(\.squaresBulkESS).minimumIfAllDefined
        let rhatMax = coordinates.map(\.summary.rhat).maximumIfAllDefined
        let healthy = run.healthyChains
        return [
            Metric(diagnostic: id, name: .bulkESSMin, value: bulkMin, unit: "draws", direction: .higherIsBetter),
            Metric(diagnostic: id, name: .tailESSMin, value: tailMin, unit: "draws", direction: .higherIsBetter),
            Metric(diagnostic: id, name: .bulkESSSquaresMin, value: squaresMin, unit: "draws", direction: .higherIsBetter),
            Metric(diagnostic: id, name: .rhatMax, value: rhatMax, unit: "ratio (1 is converged)", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "draws", value: Double(healthy.map(\.drawCount).min() ?? 0) * Double(healthy.count),
                   unit: "stored draws", direction: .neutral),
            Metric(diagnostic: id, name: "thinning", value: healthy.first.map { Double($0.thin) }, unit: "steps", direction: .neutral),
        ]
    }
}
