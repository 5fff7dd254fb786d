import Foundation

/// The known-answer gate (`bench known-answers`, run by `.ci/run`): on targets whose answer is
/// known in closed form, every sampler that can run must, at its tuned step size, produce a
/// healthy cell whose b² is within a stated bound — or be listed as a known failure with its
/// reason. A regression gate that compares with a baseline proves nothing when the baseline is
/// wrong; this one compares with the mathematics.
///
/// The answers (`baselines/known-answers.json`) name the preset that runs the gate, its
/// targets, the b² bound and why it is what it is. The known failures
/// (`baselines/known-failures.json`) name (sampler, target) pairs with the reason each cannot
/// meet the answer. A pair passes when it has a final cell and no final cell fails its health
/// (`CellHealth`: a warning — R̂ a little above 1.01 on one of 100 coordinates, a step size at
/// an end of its sweep — is not a wrong answer) and every final cell's b² is within its bound
/// `bias + quantile / ESS`: the discretisation bias a tuned step size may keep, plus the Monte
/// Carlo part, each term of b² being about χ²₁ / ESS for an unbiased sampler (ESS the smaller of
/// the bulk-ESS of x and of x², worst coordinate). Every pair that does not pass must be a known
/// failure; a known failure that passes is an error too (the list must stay true: remove the
/// entry).
public struct KnownAnswers: Codable, Sendable, Equatable {
    /// The preset (`bench grid --preset`) whose results folder the gate reads.
    public let preset: String
    /// The targets on which every sampler that can run must pass.
    public let targets: [String]
    /// The b² (`moments`' `b2`, the worse of x and x²) a tuned step size may keep.
    public let b2Bias: Double
    /// The quantile q of χ²₁ in the Monte Carlo part q / ESS of the bound.
    public let b2Quantile: Double
    /// Why the bound is what it is.
    public let b2BoundReason: String

    public init(preset: String, targets: [String], b2Bias: Double, b2Quantile: Double, b2BoundReason: String) {
        self.preset = preset
        self.targets = targets
        self.b2Bias = b2Bias
        self.b2Quantile = b2Quantile
        self.b2BoundReason = b2BoundReason
    }

    /// The largest b² a cell with effective sample size `ess` may have.
    public func b2Bound(ess: Double) -> Double { b2Bias + b2Quantile / ess }

    public static func load(from path: String) throws -> KnownAnswers {
        let answers = try decodeJSONFile(KnownAnswers.self, at: path, describing: "the known answers")
        for (name, value) in [("b2Bias", answers.b2Bias), ("b2Quantile", answers.b2Quantile)] where !(value.isFinite && value >= 0) {
            throw WorkbenchError.malformedData(path: path, location: name, problem: "\(value) is not a finite number ≥ 0")
        }
        return answers
    }
}

/// A (sampler, target) pair that cannot meet its known answer, and why.
public struct KnownFailure: Codable, Sendable, Equatable {
    public let sampler: String
    public let target: String
    public let reason: String

    public init(sampler: String, target: String, reason: String) {
        self.sampler = sampler
        self.target = target
        self.reason = reason
    }

    public static func load(from path: String) throws -> [KnownFailure] {
        let list = try decodeJSONFile([KnownFailure].self, at: path, describing: "the known failures")
        var seen = Set<String>()
        for entry in list where !seen.insert(entry.sampler + "|" + entry.target).inserted {
            throw WorkbenchError.malformedData(path: path, location: "\(entry.sampler) on \(entry.target)", problem: "listed twice")
        }
        return list
    }
}

/// The gate's verdict on every pair of a results folder.
public struct KnownAnswerCheck: Sendable {
    public enum Outcome: Sendable, Equatable {
        case pass
        /// Did not pass and is listed (the list's reason).
        case knownFailure(String)
        /// Did not pass and is not listed: fails the gate.
        case failed(String)
        /// Passes although listed: fails the gate until the entry is removed.
        case stale(String)

        public var failsGate: Bool {
            switch self {
            case .pass, .knownFailure: return false
            case .failed, .stale: return true
            }
        }
    }

    public struct Row: Sendable {
        public let sampler: String
        public let target: String
        public let stepSize: Double?
        public let b2: Double?
        /// The smallest bound of its cells (`KnownAnswers.b2Bound(ess:)`).
        public let bound: Double?
        public let outcome: Outcome
    }

    public let rows: [Row]
    /// Known failures that name a pair the folder does not have (a renamed sampler or target).
    public let unmatched: [KnownFailure]

    public var passed: Bool { rows.allSatisfy { !$0.outcome.failsGate } && unmatched.isEmpty }

    /// Judges the pairs of `answers.targets` in `results` (final cells; pairs without one —
    /// no stable step size — come from `decisions`) against `answers` and `failures`.
    public init(results: [CellResult], decisions: [TuningDecision], answers: KnownAnswers, failures: [KnownFailure]) {
        let finals = results.filter { $0.phase != .tune && answers.targets.contains($0.target) }
        var pairs: [(sampler: String, target: String)] = []
        for d in decisions where answers.targets.contains(d.target) && !pairs.contains(where: { $0 == (d.sampler, d.target) }) {
            pairs.append((d.sampler, d.target))
        }
        for r in finals where !pairs.contains(where: { $0 == (r.sampler, r.target) }) { pairs.append((r.sampler, r.target)) }
        rows = pairs.map { sampler, target in
            let cells = finals.filter { $0.sampler == sampler && $0.target == target }
            let problem = Self.problem(cells, decision: decisions.first { $0.sampler == sampler && $0.target == target },
                                       answers: answers)
            let listed = failures.first { $0.sampler == sampler && $0.target == target }
            let outcome: Outcome
            switch (problem, listed) {
            case (nil, nil): outcome = .pass
            case (nil, let entry?): outcome = .stale("passes now, but known-failures lists it (\(entry.reason)): remove the entry")
            case (let problem?, nil): outcome = .failed(problem)
            case (_, let entry?): outcome = .knownFailure(entry.reason)
            }
            let b2s = cells.compactMap { $0.metric(.b2) }
            return Row(sampler: sampler, target: target, stepSize: cells.first?.stepSize, b2: b2s.max(),
                       bound: cells.compactMap { Self.ess($0).map(answers.b2Bound) }.min(), outcome: outcome)
        }
        unmatched = failures.filter { f in !pairs.contains { $0 == (f.sampler, f.target) } }
    }

    /// The effective sample size of the bound: the smaller bulk-ESS of x and of x² (worst
    /// coordinates); nil when neither is defined.
    static func ess(_ cell: CellResult) -> Double? {
        [cell.metric(.bulkESSMin), cell.metric(.bulkESSSquaresMin)].compactMap { $0 }.min()
    }

    /// Why `cells` (a pair's final cells) miss the answer, nil when they meet it.
    static func problem(_ cells: [CellResult], decision: TuningDecision?, answers: KnownAnswers) -> String? {
        guard !cells.isEmpty else {
            return decision.map { "no final cell: \($0.reason)" } ?? "no final cell"
        }
        for cell in cells {
            let failures = cell.assessedHealth.flags.filter { $0.severity == .fail }
            if !failures.isEmpty {
                return "seed \(cell.seed): fail: " + failures.map(\.reason).joined(separator: "; ")
            }
            guard let b2 = cell.metric(.b2), let ess = ess(cell) else { return "seed \(cell.seed): b² or ESS undefined" }
            let bound = answers.b2Bound(ess: ess)
            if b2 > bound {
                return "seed \(cell.seed): b² \(CellHealth.number(b2)) > \(CellHealth.number(bound)) (bias "
                    + "\(CellHealth.number(answers.b2Bias)) + \(CellHealth.number(answers.b2Quantile)) / ESS \(CellHealth.number(ess)))"
            }
        }
        return nil
    }

    /// The verdicts as a Markdown table, the failing rows first.
    public func markdown() -> String {
        let ordered = rows.sorted { ($0.outcome.failsGate ? 0 : 1, $0.target, $0.sampler) < ($1.outcome.failsGate ? 0 : 1, $1.target, $1.sampler) }
        var lines = ["| target | sampler | h | b² (worst seed) | bound | verdict |", "|---|---|---|---|---|---|"]
        for row in ordered {
            let verdict: String
            switch row.outcome {
            case .pass: verdict = "pass"
            case .knownFailure(let why): verdict = "known failure: " + why
            case .failed(let why): verdict = "FAIL: " + why
            case .stale(let why): verdict = "STALE: " + why
            }
            lines.append("| \(row.target) | \(row.sampler) | \(row.stepSize.map { CellHealth.number($0) } ?? "—") | "
                         + "\(row.b2.map { CellHealth.number($0) } ?? "—") | \(row.bound.map { CellHealth.number($0) } ?? "—") | \(Markdown.escaped(verdict)) |")
        }
        for entry in unmatched {
            lines.append("| \(entry.target) | \(entry.sampler) | — | — | — | UNMATCHED: known-failures lists a pair the folder does not have |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
