import Foundation

/// The posterior-predictive metrics of DIAGNOSTICS.md ("BNN predictive quality"), as pure
/// functions of predictions on a test split, after the NeurIPS 2021 approximate-inference
/// competition (Wilson et al. 2022). Matrices are row-major; "draws" are kept posterior
/// draws θ_s, s = 1 … S, and the posterior predictive is the average over them.
/// Every function returns nil for empty or mismatched input.
public enum PredictiveMetrics {
    // MARK: Regression

    /// √(mean_j (ȳ_j − y_j)²), ȳ_j the predictive mean (the average of f_s(x_j) over draws).
    public static func rootMeanSquaredError(predictiveMean: [Double], labels: [Double]) -> Double? {
        guard !labels.isEmpty, predictiveMean.count == labels.count else { return nil }
        var sum = 0.0
        for (m, y) in zip(predictiveMean, labels) { sum += (m - y) * (m - y) }
        return (sum / Double(labels.count)).squareRoot()
    }

    /// The test log-likelihood mean_j log (1/S) Σ_s N(y_j | μ_sj, σ_sj²), by log-sum-exp.
    /// `means` and `sds` are S × n (draw-major).
    public static func testLogLikelihood(means: [Double], sds: [Double], labels: [Double]) -> Double? {
        let n = labels.count
        guard n > 0, means.count == sds.count, means.count % n == 0, !means.isEmpty else { return nil }
        let draws = means.count / n
        var total = 0.0
        var terms = [Double](repeating: 0, count: draws)
        for j in 0..<n {
            for s in 0..<draws {
                let sd = sds[s * n + j]
                let z = (labels[j] - means[s * n + j]) / sd
                terms[s] = -0.5 * z * z - log(sd) - 0.5 * log(2 * Double.pi)
            }
            let peak = terms.max()!
            guard peak.isFinite else { return nil }
            total += peak + log(terms.reduce(0) { $0 + exp($1 - peak) } / Double(draws))
        }
        return total / Double(n)
    }

    /// The mean over test points of the 1-D Wasserstein-1 distance between the predictive
    /// draws f_s(x_j) (S × n) and reference predictive draws (S′ × n).
    public static func meanWasserstein(draws: [Double], reference: [Double], points n: Int) -> Double? {
        guard n > 0, !draws.isEmpty, !reference.isEmpty, draws.count % n == 0, reference.count % n == 0 else { return nil }
        var total = 0.0
        for j in 0..<n {
            let a = stride(from: j, to: draws.count, by: n).map { draws[$0] }.sorted()
            let b = stride(from: j, to: reference.count, by: n).map { reference[$0] }.sorted()
            guard let w = Wasserstein.betweenSorted(a, b) else { return nil }
            total += w
        }
        return total / Double(n)
    }

    // MARK: Classification

    /// Checks an n × C probability matrix against n labels; returns C.
    static func classes(_ probabilities: [Double], _ labels: [Int]) -> Int? {
        guard !labels.isEmpty, probabilities.count % labels.count == 0 else { return nil }
        let c = probabilities.count / labels.count
        guard c >= 1, labels.allSatisfy({ $0 >= 0 && $0 < c }) else { return nil }
        return c
    }

    /// The predicted class (first maximum) and its probability for row `j`.
    static func top(_ p: [Double], row j: Int, classes c: Int) -> (index: Int, probability: Double) {
        var best = 0
        for k in 1..<max(c, 1) where p[j * c + k] > p[j * c + best] { best = k }
        return (best, p[j * c + best])
    }

    /// The fraction of test points whose most probable class (under the predictive
    /// probabilities, n × C) is the label.
    public static func accuracy(probabilities p: [Double], labels: [Int]) -> Double? {
        guard let c = classes(p, labels) else { return nil }
        let hits = labels.indices.filter { top(p, row: $0, classes: c).index == labels[$0] }.count
        return Double(hits) / Double(labels.count)
    }

    /// −mean_j log p̂(y_j | x_j), p̂ the predictive probabilities (n × C); +∞ (a nil metric)
    /// when a label has probability 0.
    public static func negativeLogLikelihood(probabilities p: [Double], labels: [Int]) -> Double? {
        guard let c = classes(p, labels) else { return nil }
        var sum = 0.0
        for (j, y) in labels.enumerated() { sum -= log(p[j * c + y]) }
        return sum / Double(labels.count)
    }

    /// Expected calibration error with `bins` equal-width confidence bins (Guo et al. 2017):
    /// the confidence of point j is its top probability, it falls in bin b when
    /// conf ∈ (b/B, (b + 1)/B] (a confidence of 0 in bin 0), and
    /// ECE = Σ_b (|B_b|/n) · |accuracy(B_b) − mean confidence(B_b)|.
    public static func expectedCalibrationError(probabilities p: [Double], labels: [Int], bins: Int = 15) -> Double? {
        guard bins >= 1, let c = classes(p, labels) else { return nil }
        var count = [Double](repeating: 0, count: bins)
        var correct = [Double](repeating: 0, count: bins)
        var confidence = [Double](repeating: 0, count: bins)
        for (j, y) in labels.enumerated() {
            let (k, conf) = top(p, row: j, classes: c)
            let bin = min(bins - 1, max(0, Int((conf * Double(bins)).rounded(.up)) - 1))
            count[bin] += 1
            confidence[bin] += conf
            if k == y { correct[bin] += 1 }
        }
        var ece = 0.0
        for b in 0..<bins where count[b] > 0 {
            ece += abs(correct[b] - confidence[b]) / Double(labels.count)
        }
        return ece
    }

    /// The fraction of test points where the predictive and the reference predictive (both
    /// n × C) put their maximum on the same class (the competition's "agreement").
    public static func agreement(probabilities p: [Double], reference q: [Double], classes c: Int) -> Double? {
        guard c >= 1, !p.isEmpty, p.count == q.count, p.count % c == 0 else { return nil }
        let n = p.count / c
        let same = (0..<n).filter { top(p, row: $0, classes: c).index == top(q, row: $0, classes: c).index }.count
        return Double(same) / Double(n)
    }

    /// The mean over test points of the total variation ½ Σ_c |p̂_c − p_ref,c|.
    public static func totalVariation(probabilities p: [Double], reference q: [Double], classes c: Int) -> Double? {
        guard c >= 1, !p.isEmpty, p.count == q.count, p.count % c == 0 else { return nil }
        var sum = 0.0
        for (a, b) in zip(p, q) { sum += abs(a - b) }
        return 0.5 * sum / Double(p.count / c)
    }
}
