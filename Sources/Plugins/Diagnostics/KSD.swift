import Workbench

/// `ksd`: the kernel Stein discrepancy of the draws with the IMQ kernel
/// k(x, y) = (c² + ‖x − y‖²)^β, c = 1, β = −½ (Gorham & Mackey 2017), as the V-statistic
/// KSD = √(Σᵢⱼ k_p(xᵢ, xⱼ)) / n of DIAGNOSTICS.md (`KernelDiscrepancy.imqSteinDiscrepancy`).
///
/// It needs the target's full-data score s = ∇log π = −∇U, evaluated once per point with
/// `Target.potentialGradient`; that cost is the diagnostic's, never the sampler's (it does not
/// go through the run's gradient oracle). The cost is O(n²d), so the draws of the healthy
/// chains are thinned evenly to at most `cap` points (default 2 000;
/// `RunRecord.evenlyThinnedDraws`); `points` reports the n used. Targets sampled on another
/// scale than their model's (`ModelScale`) are measured on the sampling scale. Without the target
/// (`evaluate(_:reference:)`) or without draws the KSD is undefined (nil).
public struct KSDDiagnostic: Diagnostic {
    public static let id = "ksd"
    public static let summary = "kernel Stein discrepancy, IMQ kernel c = 1, β = −½, on at most 2 000 thinned draws"
    /// The most points the V-statistic uses.
    public let cap: Int

    /// The registry's setting: at most 2 000 points.
    public init() { self.init(cap: 2_000) }

    public init(cap: Int) {
        self.cap = cap
    }

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        metrics(ksd: nil, points: 0)
    }

    public func evaluate(_ run: RunRecord, target: any Target) -> [Metric] {
        var (points, n) = run.evenlyThinnedDraws(cap: cap)
        guard n > 0 else { return metrics(ksd: nil, points: 0) }
        let d = target.dimension
        // The score is a sampling-scale quantity: a target with a model-scale transform has its
        // recorded draws φ mapped back to θ = T⁻¹(φ), and the discrepancy is that of the
        // sampling-scale draws against π(θ) (Jacobian included), where the sampler ran.
        if let transform = target.modelTransform {
            let recorded = run.dimension
            var phi = [Double](repeating: 0, count: recorded), theta = [Double](repeating: 0, count: d)
            var mapped = [Double](repeating: 0, count: n * d)
            for i in 0..<n {
                for k in 0..<recorded { phi[k] = points[i * recorded + k] }
                transform.toSampling(phi, into: &theta)
                for k in 0..<d { mapped[i * d + k] = theta[k] }
            }
            points = mapped
        }
        var scores = [Double](repeating: 0, count: points.count)
        var x = [Double](repeating: 0, count: d), gradient = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for k in 0..<d { x[k] = points[i * d + k] }
            target.potentialGradient(at: x, into: &gradient)
            for k in 0..<d { scores[i * d + k] = -gradient[k] }
        }
        return metrics(ksd: KernelDiscrepancy.imqSteinDiscrepancy(points: points, scores: scores, dimension: d), points: n)
    }

    private func metrics(ksd: Double?, points: Int) -> [Metric] {
        [
            Metric(diagnostic: id, name: "ksd", value: ksd, unit: "Stein discrepancy (IMQ, c = 1, β = −½)",
                   direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "points", value: Double(points), unit: "draws", direction: .neutral),
        ]
    }
}
