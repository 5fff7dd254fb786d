import Workbench

/// `template-diagnostic`: describe what it measures here, in the conventions of the workbench's
/// docs/DIAGNOSTICS.md (a metric has a name, a unit and a direction; an undefined value
/// is nil).
///
/// The example filled in: the largest standardised error of the pooled mean,
/// max_i |x̄_i − E[x_i]| / sd_i, over the chains that did not diverge.
public struct TemplateDiagnostic: Diagnostic {
    public static let id = "template-diagnostic"
    public static let summary = "TemplateDiagnostic (example: largest standardised mean error)"

    /// The registry builds it with `init()` when a run needs it.
    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let moments = run.pooledMoments
        var worst: Double? = nil
        if moments.count > 0 {
            worst = zip(moments.mean, zip(reference.mean, reference.standardDeviation))
                .map { abs($0 - $1.0) / $1.1 }.max()
        }
        return [Metric(diagnostic: id, name: "mean-error-max", value: worst, unit: "sd", direction: .lowerIsBetter)]
    }
}
