import Foundation

/// Whether a cell's numbers can be read as a result (DIAGNOSTICS.md, "Health"): `ok`, `warn`
/// (a result, with a caveat) or `fail` (not a result: rankings and heatmaps leave it out and
/// say why), with every reason in words.
///
/// Health is a pure function of what a result stores (status, divergences, the metrics of the
/// `ess`, `stability` and `moments` diagnostics), computed once when the cell finishes
/// (`CellResult.health`) and recomputed for results written before it existed
/// (`CellResult.assessedHealth`). Each flag says what kind of trouble it is, so a reader can
/// tell "run longer" from "broken":
///
/// | check | warn | fail | kind |
/// |---|---|---|---|
/// | status | — | the cell failed or crashed | broken |
/// | diverged | some chains diverged | every chain diverged | unstable |
/// | stuck | — | a chain none of whose coordinates moved more than 1 % of its reference sd (`stability`'s `stuck-chains`) | broken |
/// | resets | — | resets on ≥ 45 % of steps (a reset's successor is never judged, so 50 % is every judged step) | broken |
/// | acceptance | mean acceptance < 0.5 | mean acceptance < 0.1 | broken |
/// | rhat | rank-normalised split-R̂ > 1.01 | R̂ > 1.1, or undefined over moving chains | run longer |
/// | bulk-ess, tail-ess | < 100 per chain (Stan's guidance: 400 for 4 chains) | < 10 per chain | run longer |
/// | far | — | b² > 100: the draws' moments are on average 10 reference sd off | broken |
/// | boundary | the tuned step size stayed at an end of its sweep (`TuningDecision.boundary`) | — | tuning |
///
/// R̂ and ESS are maxima and minima over coordinates of noisy statistics, so on 100
/// coordinates a healthy chain crosses 1.01 now and then: that is why it only warns, and why
/// R̂ above 1.1 (Gelman & Rubin's original bound; Vehtari et al. 2021 tighten it to 1.01 for
/// the final answer) is the line between "a result to take with care" and "not a result".
public struct CellHealth: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable, Comparable, CaseIterable {
        case ok, warn, fail

        public static func < (a: Verdict, b: Verdict) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// What kind of trouble a flag reports, and so what to do about it.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The estimate is noisy or not yet converged: more steps or chains fix it.
        case runLonger = "run-longer"
        /// The chain is not sampling the target: more steps do not fix it.
        case broken
        /// Chains left the target (DivergenceBounds): a smaller step size fixes it.
        case unstable
        /// The step size was chosen at an end of its sweep: the best one may lie beyond.
        case tuning
    }

    public struct Flag: Codable, Sendable, Equatable {
        /// The check that raised it ("rhat", "bulk-ess", "tail-ess", "stuck", "resets",
        /// "acceptance", "diverged", "far", "status", "boundary").
        public let check: String
        public let severity: Verdict
        public let kind: Kind
        /// The reason in words, with the numbers ("R̂ 4.58 > 1.1: the chains disagree").
        public let reason: String

        public init(check: String, severity: Verdict, kind: Kind, reason: String) {
            self.check = check
            self.severity = severity
            self.kind = kind
            self.reason = reason
        }
    }

    public let flags: [Flag]

    /// The worst severity of the flags (`ok` without flags).
    public var verdict: Verdict { flags.map(\.severity).max() ?? .ok }

    /// "ok", or "warn: reason; reason" / "fail: reason; …" (the fail reasons first).
    public var summary: String {
        guard verdict != .ok else { return "ok" }
        let ordered = flags.sorted { $0.severity > $1.severity }
        return verdict.rawValue + ": " + ordered.map(\.reason).joined(separator: "; ")
    }

    public init(flags: [Flag]) { self.flags = flags }

    /// This health with `flag` added (e.g. the tuning boundary, known only to the pair).
    public func adding(_ flag: Flag?) -> CellHealth {
        guard let flag else { return self }
        return CellHealth(flags: flags + [flag])
    }

    private enum Key: String, CodingKey { case verdict, flags }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        flags = try c.decode([Flag].self, forKey: .flags)
    }

    /// Writes the verdict beside the flags, for readers of `results.jsonl` (it is recomputed
    /// from the flags on reading).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(flags, forKey: .flags)
    }
}

extension CellHealth {
    /// The thresholds of the table above.
    public enum Threshold {
        public static let rhatWarn = 1.01
        public static let rhatFail = 1.1
        public static let essPerChainWarn = 100.0
        public static let essPerChainFail = 10.0
        public static let resetsFail = 0.45
        public static let acceptanceWarn = 0.5
        public static let acceptanceFail = 0.1
        public static let b2Fail = 100.0
        /// A chain is stuck when no coordinate's sd over its draws reaches this fraction of
        /// the reference sd (`stability`'s `stuck-chains`).
        public static let stuckMovement = 0.01
    }

    /// Three significant digits ("4.37", "0.0014", "1.2e+06"): numbers in reasons.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(format: "%.3g", x)
    }

    /// R̂ with three decimals ("1.012", "4.575"), four where three would read as a threshold
    /// ("1.0105 > 1.01", not "1.010 > 1.01").
    static func rhatText(_ x: Double) -> String {
        let three = String(format: "%.3f", x)
        return [Threshold.rhatWarn, Threshold.rhatFail].contains(Double(three)!) ? String(format: "%.4f", x) : three
    }

    /// The health of `result` from what it stores.
    public static func assess(_ result: CellResult) -> CellHealth {
        assess(status: result.status, message: result.message, chains: result.chains, divergedChains: result.divergedChains,
               firstDivergenceStep: result.firstDivergenceStep, metrics: result.metrics)
    }

    /// The health of a cell that ended with `status` after running `chains` chains, of which
    /// `divergedChains` diverged, with these metrics (by name; undefined values are nil).
    public static func assess(status: CellResult.Status, message: String? = nil, chains: Int, divergedChains: Int,
                              firstDivergenceStep: Int? = nil, metrics: [Metric]) -> CellHealth {
        func value(_ name: MetricName) -> Double? { metrics.first { $0.name == name.rawValue }?.value }
        var flags: [Flag] = []
        func flag(_ check: String, _ severity: Verdict, _ kind: Kind, _ reason: String) {
            flags.append(Flag(check: check, severity: severity, kind: kind, reason: reason))
        }
        guard status == .ok else {
            flag("status", .fail, .broken, "the cell \(status.rawValue): \(message ?? "no message")")
            return CellHealth(flags: flags)
        }
        if divergedChains > 0 {
            let at = firstDivergenceStep.map { " (first at step \($0))" } ?? ""
            if divergedChains >= chains {
                flag("diverged", .fail, .unstable, "every chain diverged\(at)")
                return CellHealth(flags: flags)
            }
            flag("diverged", .warn, .unstable,
                 "\(divergedChains) of \(chains) chains diverged\(at); the metrics are the others'")
        }
        let stuck = value(.stuckChains).map { Int($0) } ?? 0
        if stuck > 0 {
            flag("stuck", .fail, .broken,
                 "\(stuck) of \(chains) chains stuck: no coordinate moved \(number(100 * Threshold.stuckMovement))% of its reference sd")
        }
        if let resets = value(.resetsPerStep), resets >= Threshold.resetsFail {
            flag("resets", .fail, .broken, "resets on \(number(100 * resets))% of steps: every judged step is rejected")
        }
        if let acceptance = value(.acceptanceMean) {
            if acceptance < Threshold.acceptanceFail {
                flag("acceptance", .fail, .broken, "acceptance \(number(acceptance)) < \(number(Threshold.acceptanceFail)): the chain barely moves")
            } else if acceptance < Threshold.acceptanceWarn {
                flag("acceptance", .warn, .broken, "acceptance \(number(acceptance)) < \(number(Threshold.acceptanceWarn))")
            }
        }
        let ranESS = metrics.contains { $0.name == MetricName.rhatMax.rawValue }
        if let rhat = value(.rhatMax) {
            if rhat > Threshold.rhatFail {
                flag("rhat", .fail, .runLonger, "R̂ \(rhatText(rhat)) > \(Threshold.rhatFail): the chains disagree (not converged)")
            } else if rhat > Threshold.rhatWarn {
                flag("rhat", .warn, .runLonger, "R̂ \(rhatText(rhat)) > \(Threshold.rhatWarn)")
            }
        } else if ranESS && stuck == 0 && chains - divergedChains >= 2 {
            flag("rhat", .fail, .broken, "R̂ undefined: a coordinate is constant or chains hold fewer than 4 draws")
        }
        let healthy = Double(chains - divergedChains)
        for (metric, check, name) in [(MetricName.bulkESSMin, "bulk-ess", "bulk-ESS"), (.tailESSMin, "tail-ess", "tail-ESS")] {
            guard let ess = value(metric), healthy > 0 else { continue }
            if ess < Threshold.essPerChainFail * healthy {
                flag(check, .fail, .runLonger,
                     "\(name) \(number(ess)) < \(number(Threshold.essPerChainFail * healthy)) (\(number(Threshold.essPerChainFail)) per chain): too few effective draws")
            } else if ess < Threshold.essPerChainWarn * healthy {
                flag(check, .warn, .runLonger,
                     "\(name) \(number(ess)) < \(number(Threshold.essPerChainWarn * healthy)) (\(number(Threshold.essPerChainWarn)) per chain)")
            }
        }
        if let b2 = value(.b2), b2 > Threshold.b2Fail {
            flag("far", .fail, .broken, "b² \(number(b2)) > \(number(Threshold.b2Fail)): the draws are far from the target")
        }
        return CellHealth(flags: flags)
    }
}
