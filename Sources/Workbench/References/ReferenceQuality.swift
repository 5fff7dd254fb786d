/// posteriordb's bar for reference draws (TARGETS.md; `data/posteriordb/README.md`): at least
/// 10 000 draws from at least 4 chains, rank-normalised split-R̂ below 1.01 and the mean over
/// chains of the lag-1 autocorrelation below 0.05 in magnitude, for every coordinate (on the
/// model scale); bulk- and tail-ESS are reported. (posteriordb's E-BFMI > 0.2 is a property of
/// a Hamiltonian sampler's energy, not of the draws, and is not checked here.)
public struct ReferenceQualityBar: Codable, Hashable, Sendable {
    public var minimumDraws = 10_000
    public var minimumChains = 4
    public var maximumRhat = 1.01
    public var maximumLag1Autocorrelation = 0.05

    public init() {}

    /// posteriordb's bar.
    public static let posteriordb = ReferenceQualityBar()
}

/// The convergence numbers of one coordinate of a set of reference draws.
public struct CoordinateQuality: Codable, Hashable, Sendable {
    public let name: String
    public let bulkESS: Double?
    public let tailESS: Double?
    public let rhat: Double?
    /// Mean over chains of the lag-1 autocorrelation (`ConvergenceStatistics.meanLag1Autocorrelation`).
    public let lag1Autocorrelation: Double?
}

/// The quality checks of a set of reference draws against a `ReferenceQualityBar`, with every
/// number that went into them, so that a cached reference carries its own evidence.
public struct ReferenceQuality: Codable, Hashable, Sendable {
    public let bar: ReferenceQualityBar
    public let chains: Int
    public let drawsPerChain: Int
    /// The extra thinning applied to the stored draws to meet the autocorrelation bar.
    public let thinning: Int
    public let coordinates: [CoordinateQuality]

    public var draws: Int { chains * drawsPerChain }

    /// Assesses `chains` (each chain's draws row-major, drawsPerChain × d, equal lengths)
    /// with coordinate names `names`.
    public init(chains: [[Double]], names: [String], thinning: Int = 1, bar: ReferenceQualityBar = .posteriordb) {
        let d = names.count
        self.bar = bar
        self.chains = chains.count
        self.drawsPerChain = chains.first.map { $0.count / max(d, 1) } ?? 0
        self.thinning = thinning
        coordinates = (0..<d).map { i in
            let coordinate = chains.map { chain in stride(from: i, to: chain.count, by: d).map { chain[$0] } }
            let summary = try? ConvergenceSummary(chains: coordinate)
            let lag1 = (try? ConvergenceStatistics.meanLag1Autocorrelation(coordinate)) ?? nil
            return CoordinateQuality(name: names[i], bulkESS: summary?.bulkESS, tailESS: summary?.tailESS,
                                     rhat: summary?.rhat, lag1Autocorrelation: lag1)
        }
    }

    /// Every way the draws miss the bar, one line each with the failing number; empty when
    /// they pass.
    public var failures: [String] {
        var out: [String] = []
        if draws < bar.minimumDraws { out.append("\(draws) draws, need ≥ \(bar.minimumDraws)") }
        if chains < bar.minimumChains { out.append("\(chains) chains, need ≥ \(bar.minimumChains)") }
        for c in coordinates {
            if let r = c.rhat {
                if !(r < bar.maximumRhat) { out.append("R̂(\(c.name)) = \(fmt(r)) ≥ \(bar.maximumRhat)") }
            } else {
                out.append("R̂(\(c.name)) undefined (constant or non-finite draws)")
            }
            if let a = c.lag1Autocorrelation {
                if !(abs(a) < bar.maximumLag1Autocorrelation) {
                    out.append("|lag-1 autocorrelation(\(c.name))| = \(fmt(abs(a))) ≥ \(bar.maximumLag1Autocorrelation)")
                }
            } else {
                out.append("lag-1 autocorrelation(\(c.name)) undefined")
            }
        }
        return out
    }

    public var passed: Bool { failures.isEmpty }

    /// The largest R̂ over coordinates (nil if any is undefined).
    public var maximumRhat: Double? { extreme(\.rhat, max) }
    /// The largest |lag-1 autocorrelation| over coordinates.
    public var maximumAbsoluteLag1: Double? { extreme({ $0.lag1Autocorrelation.map(abs) }, max) }
    public var minimumBulkESS: Double? { extreme(\.bulkESS, min) }
    public var minimumTailESS: Double? { extreme(\.tailESS, min) }

    private func extreme(_ value: (CoordinateQuality) -> Double?, _ pick: (Double, Double) -> Double) -> Double? {
        let values = coordinates.map(value)
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        return values.map { $0! }.reduce(values[0]!, pick)
    }

    /// One line: draws, chains, thinning, worst R̂ and |lag-1|, smallest ESS.
    public var summary: String {
        "\(draws) draws (\(chains) chains × \(drawsPerChain), thinned ×\(thinning)); max R̂ \(maximumRhat.map(fmt) ?? "undefined"), "
            + "max |lag-1| \(maximumAbsoluteLag1.map(fmt) ?? "undefined"), min bulk-ESS \(minimumBulkESS.map(fmt) ?? "undefined"), "
            + "min tail-ESS \(minimumTailESS.map(fmt) ?? "undefined")"
    }

    /// Thins `chains` (each row-major n × d) by the smallest factor k ≥ 1 that brings every
    /// coordinate's |mean lag-1 autocorrelation| below the bar while leaving at least
    /// ⌈minimumDraws / chains⌉ draws per chain, keeps the last ⌈minimumDraws / chains⌉ draws of
    /// each thinned chain, and assesses them. When no k satisfies both, it uses the largest k
    /// that leaves enough draws (or 1) and the assessment says what fails.
    public static func thinnedToBar(chains: [[Double]], names: [String], bar: ReferenceQualityBar = .posteriordb)
        -> (chains: [[Double]], quality: ReferenceQuality)
    {
        let k = thinning(chains: chains, dimension: names.count, bar: bar)
        let result = thin(chains, by: k, dimension: names.count, bar: bar)
        return (result, ReferenceQuality(chains: result, names: names, thinning: k, bar: bar))
    }

    /// Draws kept per chain: ⌈minimumDraws / chains⌉.
    public static func drawsPerChain(chains: Int, bar: ReferenceQualityBar) -> Int {
        (bar.minimumDraws + max(chains, 1) - 1) / max(chains, 1)
    }

    /// The smallest thinning k (see `thinnedToBar`) for chains of rows of length `dimension`.
    public static func thinning(chains: [[Double]], dimension d: Int, bar: ReferenceQualityBar = .posteriordb) -> Int {
        let n = chains.map { $0.count / d }.min() ?? 0
        let perChain = drawsPerChain(chains: chains.count, bar: bar)
        func worstLag1(_ cs: [[Double]]) -> Double {
            var worst = 0.0
            for i in 0..<d {
                let coordinate = cs.map { c in stride(from: i, to: c.count, by: d).map { c[$0] } }
                guard let a = (try? ConvergenceStatistics.meanLag1Autocorrelation(coordinate)) ?? nil else { return .infinity }
                worst = max(worst, abs(a))
            }
            return worst
        }
        let largest = max(1, n / max(perChain, 1))
        var k = 1
        while k < largest && !(worstLag1(thin(chains, by: k, dimension: d, bar: bar)) < bar.maximumLag1Autocorrelation) {
            k += 1
        }
        return k
    }

    /// Every k-th row of each chain, aligned to the chain's end (rows n − 1, n − 1 − k, …), the
    /// last ⌈minimumDraws / chains⌉ of them (fewer if the chain is short), in order.
    public static func thin(_ chains: [[Double]], by k: Int, dimension d: Int, bar: ReferenceQualityBar = .posteriordb) -> [[Double]] {
        let n = chains.map { $0.count / d }.min() ?? 0
        let perChain = drawsPerChain(chains: chains.count, bar: bar)
        return chains.map { chain in
            let keep = min(n / k, perChain)
            var out = [Double]()
            out.reserveCapacity(keep * d)
            for j in stride(from: keep - 1, through: 0, by: -1) {
                let row = n - 1 - j * k
                out.append(contentsOf: chain[(row * d)..<((row + 1) * d)])
            }
            return out
        }
    }
}

private func fmt(_ x: Double) -> String {
    if x != 0 && (abs(x) < 1e-3 || abs(x) >= 1e6) { return String(describing: x) }
    let scaled = (x * 1e4).rounded() / 1e4
    return String(describing: scaled)
}
