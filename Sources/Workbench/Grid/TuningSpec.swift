import Foundation

/// The tuning protocol of a grid (`GridSpec.tuning`): per (sampler, target, noise, batch size)
/// pair, a log-spaced step-size sweep on one seed at a fixed gradient budget, a declared rule
/// that picks a step size from the sweep, then the final runs at that step size on the grid's
/// `seeds` (README, "The tuning protocol").
///
/// - Sweep: `points` step sizes log-spaced over a ratio `span` (largest / smallest), centred
///   on the sampler's default h₀ · s^p (`StepSizeDefault` scaled by `Target.lengthScale`), or
///   the explicit `stepSizes` of the sampler. Samplers that use no step size (`exact`, and
///   `mala`, `hmc`, `mclmc`, which adapt theirs in the warm-up) and samplers whose step size
///   is only an initial value they adapt (`smile`) are not swept: their final cells run at
///   once (the latter from h₀ · s^p).
/// - Budget: each sweep cell spends `budget` full-gradient equivalents per chain, warm-up
///   included (as `GridSpec.gradientBudget`); nil uses the grid's `gradientBudget`, or its
///   `steps` when that is nil too.
/// - Seed: sweep cells run on `seed`, and their keys carry "tune", so their random streams are
///   never those of a final cell: the final numbers are not the ones the rule selected on.
/// - Rule: see `Rule`. Ties — points whose value is within `tieTolerance` (relative) of the
///   best — go to the larger step size, which mixes faster on the same budget.
/// - Bracketing: when the rule's choice is at an end of the evaluated sweep, the sweep grows
///   one point at a time beyond that end, by the ratio of its two end points, at most
///   `extensions` points per pair, until the choice is interior (`SweepWalk`). A choice still
///   at an end is recorded with the reason (`TuningDecision.boundary`).
public struct TuningSpec: Codable, Sendable, Equatable {
    /// Diagnostics sweep cells leave out: the rule reads b² and ESS per gradient only, and
    /// these cost more than the sweep's sampling on the analytic targets — O(draws²) for the
    /// kernel Stein discrepancy and MMD, a numerical integral per draw for the funnel's
    /// marginal CDFs, a forward pass per draw for predictive metrics. Final cells evaluate
    /// every diagnostic.
    public static let diagnosticsSkippedInSweeps: Set<String> = ["ksd", "mmd", "marginals", "predictive"]

    /// How the sweep's step size is chosen.
    public enum Rule: String, Codable, Sendable, CaseIterable {
        /// The lowest b² (the `moments` diagnostic's `b2`) among the points where no chain
        /// diverged and the cell ran; when no such point defines b² (a target without
        /// reference moments), the largest such step size.
        case lowestB2 = "lowest-b2"
        /// The highest ESS per gradient among the same points (same fallback).
        case highestESSPerGradient = "highest-ess-per-gradient"

        /// The metric the rule reads, and whether higher is better.
        public var metric: (name: MetricName, higherIsBetter: Bool) {
            switch self {
            case .lowestB2: return (.b2, false)
            case .highestESSPerGradient: return (.essPerGradient, true)
            }
        }
    }

    /// Step sizes per sweep (≥ 2).
    public var points = 5
    /// Ratio of the largest to the smallest step size of a sweep (> 1).
    public var span = 100.0
    /// Explicit sweeps per sampler id, replacing the centred log-spaced one.
    public var stepSizes: [String: [Double]] = [:]
    /// Full-gradient equivalents per chain of each sweep cell; nil: the grid's budget or steps.
    public var budget: Double?
    /// The seed of the sweep cells.
    public var seed: UInt64 = 1_000
    public var rule: Rule = .lowestB2
    /// Relative tolerance within which two points tie (≥ 0).
    public var tieTolerance = 0.1
    /// Sweep points a pair may add beyond an end of its sweep when the choice lands there
    /// (≥ 0; 0 turns bracketing off).
    public var extensions = TuningSpec.defaultExtensions

    /// `extensions` of a spec that does not name it.
    public static let defaultExtensions = 4
    /// `extensions` of the protocol before bracketing existed: what a `grid.json` written then
    /// (without the field) ran, and the value the canonical JSON leaves out, so such folders
    /// keep their identity (docs/RESULTS.md, "Identity"; `GridManifest`).
    public static let extensionsBeforeBracketing = 0

    public init(points: Int = 5, span: Double = 100, stepSizes: [String: [Double]] = [:], budget: Double? = nil,
                seed: UInt64 = 1_000, rule: Rule = .lowestB2, tieTolerance: Double = 0.1,
                extensions: Int = TuningSpec.defaultExtensions) {
        self.points = points
        self.span = span
        self.stepSizes = stepSizes
        self.budget = budget
        self.seed = seed
        self.rule = rule
        self.tieTolerance = tieTolerance
        self.extensions = extensions
    }

    private enum Key: String, CodingKey, CaseIterable {
        case points, span, stepSizes, budget, seed, rule, tieTolerance, extensions
    }

    /// Any field may be omitted (`extensions` then is `defaultExtensions`); unknown fields and
    /// unknown rules are errors.
    public init(from decoder: Decoder) throws {
        try StrictDecoding.rejectUnknownFields(decoder, keys: Key.self, what: "tuning field")
        let c = try decoder.container(keyedBy: Key.self)
        var rule = Rule.lowestB2
        if let text = try c.decodeIfPresent(String.self, forKey: .rule) {
            guard let parsed = Rule(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .rule, in: c,
                    debugDescription: "unknown tuning rule '\(text)'; accepted: " + Rule.allCases.map(\.rawValue).joined(separator: ", "))
            }
            rule = parsed
        }
        self.init(points: try c.decodeIfPresent(Int.self, forKey: .points) ?? 5,
                  span: try c.decodeIfPresent(Double.self, forKey: .span) ?? 100,
                  stepSizes: try c.decodeIfPresent([String: [Double]].self, forKey: .stepSizes) ?? [:],
                  budget: try c.decodeIfPresent(Double.self, forKey: .budget),
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1_000,
                  rule: rule,
                  tieTolerance: try c.decodeIfPresent(Double.self, forKey: .tieTolerance) ?? 0.1,
                  extensions: try c.decodeIfPresent(Int.self, forKey: .extensions) ?? Self.defaultExtensions)
    }

    /// Whether `decoder`'s JSON names `extensions` (false for a spec written before the field
    /// existed; see `GridManifest`).
    static func namesExtensions(_ decoder: Decoder) throws -> Bool {
        try decoder.container(keyedBy: Key.self).contains(.extensions)
    }

    /// Every field is written, `extensions` too, so a spec reads back as it was written —
    /// except in the canonical JSON (`GridSpec.canonicalJSON()`), which leaves out
    /// `extensions` when it is `extensionsBeforeBracketing`: the spec of a folder written
    /// before the field existed keeps its hash.

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(points, forKey: .points)
        try c.encode(span, forKey: .span)
        if !stepSizes.isEmpty { try c.encode(stepSizes, forKey: .stepSizes) }
        try c.encodeIfPresent(budget, forKey: .budget)
        try c.encode(seed, forKey: .seed)
        try c.encode(rule, forKey: .rule)
        try c.encode(tieTolerance, forKey: .tieTolerance)
        if !(encoder.userInfo[.canonicalSpec] as? Bool == true && extensions == Self.extensionsBeforeBracketing) {
            try c.encode(extensions, forKey: .extensions)
        }
    }

    /// Checks the settings; each error names the bad value and what is accepted.
    public func validate() throws {
        func fail(_ name: String, _ value: String, _ accepted: String) -> WorkbenchError {
            .invalidValue(owner: "grid tuning", name: name, value: value, accepted: accepted)
        }
        if points < 2 { throw fail("points", "\(points)", "a whole number ≥ 2") }
        if !(span.isFinite && span > 1) { throw fail("span", "\(span)", "a finite ratio > 1 of the largest to the smallest step size") }
        if let budget, !(budget.isFinite && budget > 0) {
            throw fail("budget", "\(budget)", "a finite number > 0 of full-gradient equivalents per chain")
        }
        if !(tieTolerance.isFinite && tieTolerance >= 0) { throw fail("tieTolerance", "\(tieTolerance)", "a finite relative tolerance ≥ 0") }
        if extensions < 0 {
            throw fail("extensions", "\(extensions)", "a whole number ≥ 0 of sweep points a pair may add beyond an end of its sweep (0: none)")
        }
        for (id, sizes) in stepSizes.sorted(by: { $0.key < $1.key }) {
            if let bad = sizes.first(where: { !($0.isFinite && $0 > 0) }) {
                throw fail("step size of \(id)", "\(bad)", "finite numbers > 0")
            }
            if sizes.isEmpty { throw fail("step sizes of \(id)", "(none)", "at least one step size") }
            // A sweep point twice would be one cell key twice (and a zero spacing to extend by).
            if let twice = sizes.indices.first(where: { sizes[..<$0].contains(sizes[$0]) }).map({ sizes[$0] }) {
                throw fail("step sizes of \(id)", sizes.map { "\($0)" }.joined(separator: ","), "each step size once ('\(twice)' is listed twice)")
            }
        }
    }

    /// The sweep around `centre`: `points` step sizes log-spaced from centre/√span to
    /// centre·√span, ascending.
    public func sweep(centre: Double) -> [Double] {
        (0..<points).map { i in
            centre * Foundation.pow(span, Double(i) / Double(points - 1) - 0.5)
        }
    }

    /// The rule applied to a sweep: the chosen step size (nil when no point qualifies) and
    /// why, in words. A point qualifies when its cell ran (`ok`) and none of its chains
    /// diverged; among those that define the rule's metric, the best value wins, and points
    /// within `tieTolerance` of it (relative) tie, the largest step size winning.
    public func select(_ points: [TuningPoint]) -> (stepSize: Double?, reason: String) {
        let stable = points.filter { $0.ok && $0.divergedChains == 0 }
        guard !stable.isEmpty else {
            if points.allSatisfy({ $0.ok }) { return (nil, "no stable step size: every sweep point diverged") }
            return (nil, "no stable step size: every sweep point diverged or failed")
        }
        let (name, higher) = rule.metric
        let scored = stable.compactMap { p in p.value(name).map { (p, $0) } }
        guard let best = (higher ? scored.map(\.1).max() : scored.map(\.1).min()) else {
            let h = stable.map(\.stepSize).max()!
            return (h, "\(name) undefined at every stable point (no reference moments): the largest stable step size")
        }
        let tied = scored.filter { higher ? $0.1 >= best - tieTolerance * abs(best) : $0.1 <= best + tieTolerance * abs(best) }
        let chosen = tied.max { $0.0.stepSize < $1.0.stepSize }!
        let what = higher ? "highest" : "lowest"
        var reason = "\(what) \(name) \(formatNumber(best))"
        if tied.count > 1 {
            reason += "; \(tied.count) points within \(formatNumber(100 * tieTolerance))% of it, the largest step size wins"
            reason += " (\(name) \(formatNumber(chosen.1)))"
        }
        let excluded = points.count - stable.count
        if excluded > 0 { reason += "; \(excluded) of \(points.count) points excluded (diverged or failed)" }
        return (chosen.0.stepSize, reason)
    }
}

/// One point of a sweep as the rule sees it (and as `tuning.json` records it).
public struct TuningPoint: Codable, Sendable, Equatable {
    public let stepSize: Double
    /// The sweep cell's key.
    public let key: String
    /// Whether the cell ran (false for failed or crashed cells).
    public let ok: Bool
    public let chains: Int
    public let divergedChains: Int
    public let b2: Double?
    public let essPerGradient: Double?
    /// Whether the point was added beyond an end of the planned sweep (`SweepWalk`); written
    /// as `"extension": true`, and left out when false.
    public var isExtension = false

    public init(stepSize: Double, key: String, ok: Bool = true, chains: Int, divergedChains: Int, b2: Double?,
                essPerGradient: Double?, isExtension: Bool = false) {
        self.stepSize = stepSize
        self.key = key
        self.ok = ok
        self.chains = chains
        self.divergedChains = divergedChains
        self.b2 = b2
        self.essPerGradient = essPerGradient
        self.isExtension = isExtension
    }

    private enum CodingKeys: String, CodingKey {
        case stepSize, key, ok, chains, divergedChains, b2, essPerGradient
        case isExtension = "extension"
    }

    /// `extension` may be absent (false), as in `tuning.json` files written before it existed.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(stepSize: try c.decode(Double.self, forKey: .stepSize), key: try c.decode(String.self, forKey: .key),
                  ok: try c.decode(Bool.self, forKey: .ok), chains: try c.decode(Int.self, forKey: .chains),
                  divergedChains: try c.decode(Int.self, forKey: .divergedChains),
                  b2: try c.decodeIfPresent(Double.self, forKey: .b2),
                  essPerGradient: try c.decodeIfPresent(Double.self, forKey: .essPerGradient),
                  isExtension: try c.decodeIfPresent(Bool.self, forKey: .isExtension) ?? false)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(stepSize, forKey: .stepSize)
        try c.encode(key, forKey: .key)
        try c.encode(ok, forKey: .ok)
        try c.encode(chains, forKey: .chains)
        try c.encode(divergedChains, forKey: .divergedChains)
        try c.encodeIfPresent(b2, forKey: .b2)
        try c.encodeIfPresent(essPerGradient, forKey: .essPerGradient)
        if isExtension { try c.encode(true, forKey: .isExtension) }
    }

    public init(_ result: CellResult) {
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        self.init(stepSize: result.stepSize ?? 0, key: result.key, ok: result.status == .ok, chains: result.chains,
                  divergedChains: result.divergedChains, b2: finite(result.metric(.b2)),
                  essPerGradient: finite(result.metric(.essPerGradient)))
    }

    func value(_ metric: MetricName) -> Double? {
        metric == .b2 ? b2 : essPerGradient
    }
}
