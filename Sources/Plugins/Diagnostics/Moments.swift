import Foundation
import Workbench

/// `moments`: bias of the first two moments against the reference (DIAGNOSTICS.md).
///
/// From the streaming moments of every kept post-warm-up step, pooled over the chains that
/// did not diverge:
/// - standardised mean error e_i = (Ê[x_i] − E[x_i]) / sd[x_i]: max |e_i| and mean |e_i|;
/// - variance ratio r_i = V̂ar[x_i] / Var[x_i]: mean, and the worst (largest |log r_i|) with its
///   coordinate (1-based);
/// - b²(f) = mean_i (Ê[f_i] − E[f_i])² / Var[f_i] for f = x and f = x² (Robnik & Seljak), and
///   `b2` = max of the two.
/// All are undefined (nil) when every chain diverged.
public struct MomentsDiagnostic: Diagnostic {
    public static let id = "moments"
    public static let summary = "standardised mean error, variance ratio and b² of x and x² against the reference"

    public static let declaredMetrics: [MetricName] = [.b2, .meanErrorMax, .varianceRatioMean, .varianceRatioWorst]

    public init() {}

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        let moments = run.pooledMoments
        // Undefined when every chain diverged or the reference is not known (yet).
        let defined = moments.count > 0 && reference.isAvailable
        let mean = moments.mean, variance = moments.variance, squares = moments.meanOfSquares
        let d = run.dimension
        var maxError = 0.0, sumError = 0.0, sumRatio = 0.0
        var worstRatio = 1.0, worstCoordinate = 0
        var b2x = 0.0, b2x2 = 0.0
        for i in 0..<d {
            let error = (mean[i] - reference.mean[i]) / reference.variance[i].squareRoot()
            maxError = max(maxError, abs(error))
            sumError += abs(error)
            let ratio = variance[i] / reference.variance[i]
            sumRatio += ratio
            if abs(log(ratio)) > abs(log(worstRatio)) || i == 0 {
                worstRatio = ratio
                worstCoordinate = i
            }
            b2x += error * error
            let e2 = squares[i] - reference.secondMoment[i]
            b2x2 += e2 * e2 / reference.secondMomentVariance[i]
        }
        b2x /= Double(d)
        b2x2 /= Double(d)
        func metric(_ name: MetricName, _ value: Double, _ unit: String, _ direction: Direction) -> Metric {
            Metric(diagnostic: id, name: name, value: defined ? value : nil, unit: unit, direction: direction)
        }
        return [
            metric(.meanErrorMax, maxError, "sd", .lowerIsBetter),
            metric(MetricName("mean-error-mean"), sumError / Double(d), "sd", .lowerIsBetter),
            metric(.varianceRatioMean, sumRatio / Double(d), "ratio (1 is exact)", .neutral),
            metric(.varianceRatioWorst, worstRatio, "ratio (1 is exact)", .neutral),
            metric(MetricName("variance-ratio-worst-coordinate"), Double(worstCoordinate + 1), "coordinate", .neutral),
            metric(MetricName("b2-x"), b2x, "squared sd", .lowerIsBetter),
            metric(MetricName("b2-x2"), b2x2, "squared sd", .lowerIsBetter),
            metric(.b2, max(b2x, b2x2), "squared sd", .lowerIsBetter),
        ]
    }
}
