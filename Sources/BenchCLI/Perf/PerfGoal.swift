/// A benchmark goal of issue 9 (BENCHMARKS.md): a bound on a measured median.
struct PerfGoal: Codable, Equatable, Sendable {
    enum Bound: String, Codable, Sendable {
        case atMost = "≤"
        case atLeast = "≥"
    }

    let bound: Bound
    let threshold: Double
    /// Where the threshold comes from, e.g. "10× BlackJAX's 130 ns".
    let basis: String

    static func atMost(_ threshold: Double, _ basis: String) -> PerfGoal { PerfGoal(bound: .atMost, threshold: threshold, basis: basis) }
    static func atLeast(_ threshold: Double, _ basis: String) -> PerfGoal { PerfGoal(bound: .atLeast, threshold: threshold, basis: basis) }

    /// Whether `value` meets the goal.
    func isMet(by value: Double) -> Bool {
        switch bound {
        case .atMost: return value <= threshold
        case .atLeast: return value >= threshold
        }
    }

    /// How far `value` is from the goal, as a factor > 1 when missed ("2.7× over").
    func shortfall(of value: Double) -> Double {
        switch bound {
        case .atMost: return value / threshold
        case .atLeast: return threshold / value
        }
    }
}

/// One line of the results: a measured quantity, its repetitions, its goal if it has one, and
/// the command that reproduces it.
struct PerfRow: Codable, Sendable {
    /// The section (`steps`, `bnn`, `diagnostics`, `grid`, `memory`).
    let section: String
    /// A stable key for scripts (e.g. `sgld/std-normal-1d`).
    let key: String
    /// What was measured, in words.
    let label: String
    let unit: String
    let summary: PerfSummary
    let goal: PerfGoal?
    /// A derived quantity shown beside the median (e.g. "61 GFLOP/s, 52 % of peak").
    let detail: String?
    let command: String

    var median: Double { summary.median }
    var met: Bool? { goal.map { $0.isMet(by: summary.median) } }
}
