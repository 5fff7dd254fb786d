import Workbench

/// `mmd`: the unbiased estimate of the squared maximum mean discrepancy between the draws and
/// reference draws (Gretton et al. 2012), with the Gaussian RBF kernel
/// k(x, y) = exp(−‖x − y‖²/(2σ²)) and σ by the median heuristic
/// (`KernelDiscrepancy.unbiasedMMDSquared`, `KernelDiscrepancy.medianHeuristic`).
///
/// - The draws of the healthy chains are thinned evenly to at most `cap` points (default
///   1 000; O(n²d) cost, so 2 000 points in all with the reference).
/// - Reference draws: for a target with an exact sampler, `cap` independent draws from it with
///   a fixed seed (`Xoshiro256StarStar(seed: referenceSeed, stream: "mmd-reference/" + id)`),
///   so every run of the same target is compared with the same sample; otherwise the stored
///   reference draws (`Reference.draws`) thinned to `cap`. Neither: undefined (nil).
/// - σ is the median pairwise distance over at most 1 000 points of the pooled sample (half
///   from each side, evenly spaced).
/// MMD²_u is unbiased, so it scatters around 0 (and can be negative) when the draws are
/// exact; its standard deviation is of order 1/n.
public struct MMDDiagnostic: Diagnostic {
    public static let id = "mmd"
    public static let summary = "unbiased MMD² (RBF, median heuristic) against exact or stored reference draws, 1 000 thinned draws"
    public let cap: Int
    public let referenceSeed: UInt64

    /// The registry's setting: 1 000 draws.
    public init() { self.init(cap: 1_000) }

    public init(cap: Int, referenceSeed: UInt64 = 20_170_801) {
        self.cap = cap
        self.referenceSeed = referenceSeed
    }

    public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
        evaluate(run, referenceDraws: storedReferenceDraws(reference))
    }

    public func evaluate(_ run: RunRecord, target: any Target) -> [Metric] {
        guard let sampleable = target as? any ExactlySampleable else {
            return evaluate(run, reference: target.reference)
        }
        let d = target.dimension
        var rng = Xoshiro256StarStar(seed: referenceSeed, stream: "mmd-reference/" + target.id, index: 0)
        var x = [Double](repeating: 0, count: d)
        var draws = [Double]()
        draws.reserveCapacity(cap * d)
        for _ in 0..<cap {
            sampleable.drawExact(into: &x, rng: &rng)
            draws += x
        }
        return evaluate(run, referenceDraws: draws)
    }

    /// The stored reference draws thinned evenly to `cap`, nil without any.
    func storedReferenceDraws(_ reference: Reference) -> [Double]? {
        guard let all = reference.draws, reference.drawCount >= 2 else { return nil }
        let d = reference.mean.count, total = reference.drawCount
        let count = min(cap, total)
        return (0..<count).flatMap { k -> ArraySlice<Double> in
            let row = Int(Double(k) * Double(total) / Double(count))
            return all[(row * d)..<((row + 1) * d)]
        }
    }

    func evaluate(_ run: RunRecord, referenceDraws y: [Double]?) -> [Metric] {
        let d = run.dimension
        let (x, n) = run.evenlyThinnedDraws(cap: cap)
        guard let y, n >= 2, y.count / d >= 2 else { return metrics(nil, nil, n, (y?.count ?? 0) / d) }
        let m = y.count / d
        let sigma = KernelDiscrepancy.medianHeuristic(
            Self.evenRows(x, count: n, keep: 500, d) + Self.evenRows(y, count: m, keep: 500, d), dimension: d)
        let mmd2 = sigma.flatMap { KernelDiscrepancy.unbiasedMMDSquared(x, y, dimension: d, bandwidth: $0) }
        return metrics(mmd2, sigma, n, m)
    }

    static func evenRows(_ values: [Double], count: Int, keep: Int, _ d: Int) -> [Double] {
        guard count > keep else { return values }
        return (0..<keep).flatMap { k -> ArraySlice<Double> in
            let row = Int(Double(k) * Double(count) / Double(keep))
            return values[(row * d)..<((row + 1) * d)]
        }
    }

    private func metrics(_ mmd2: Double?, _ sigma: Double?, _ n: Int, _ m: Int) -> [Metric] {
        [
            Metric(diagnostic: id, name: "mmd2", value: mmd2, unit: "squared RKHS distance (RBF)", direction: .lowerIsBetter),
            Metric(diagnostic: id, name: "bandwidth", value: sigma, unit: "x units", direction: .neutral),
            Metric(diagnostic: id, name: "points", value: Double(n), unit: "draws", direction: .neutral),
            Metric(diagnostic: id, name: "reference-points", value: Double(m), unit: "draws", direction: .neutral),
        ]
    }
}
