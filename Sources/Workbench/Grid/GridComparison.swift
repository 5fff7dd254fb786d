import Foundation

/// Compares two grid runs configuration by configuration (`bench compare OLD NEW`).
///
/// A configuration is a cell without its seed (target, sampler, hyperparameters, step size,
/// batch size); its value for a metric is the mean over its seeds, and its seed noise the
/// half-range (max − min)/2 over seeds in each run. For a metric with a direction, NEW is
/// *worse* when it moves the wrong way by more than both `relativeTolerance` × |OLD| and the
/// larger of the two runs' seed noise; *better* likewise the other way; otherwise unchanged.
/// Worse whatever the metrics say: a seed that diverges in NEW but not in OLD (metric
/// "diverged", the counts of diverged seeds), and a seed that failed or crashed in NEW but
/// not in OLD (metric "crashed", the counts of failed or crashed seeds), and a final or
/// untuned cell whose health (`CellHealth`) is worse in NEW than in OLD for the same seed
/// (metric "health", the verdicts 0 = ok, 1 = warn, 2 = fail, the reasons in `note`; a health
/// that got better counts as better). Tuning sweeps are left out: they explore step sizes
/// that are meant to fail. A configuration's metrics are compared over the seeds both runs
/// have, averaged over those that ran. A configuration present on one side only is listed in
/// `removed` or `added`; `shared` counts those on both; a seed of a shared configuration on
/// one side only is listed (as its cell key) in `seedsRemoved` or `seedsAdded`, since a mean
/// over fewer seeds is another number (`bench compare` refuses to pass when `shared` is 0, or
/// when anything is missing on either side without `--allow-missing`).
public struct GridComparison: Sendable {
    public enum Verdict: String, Sendable {
        case better, worse, unchanged
    }

    public struct Change: Sendable {
        public let configuration: String
        public let metric: String
        public let old: Double?
        public let new: Double?
        public let noise: Double
        public let verdict: Verdict
        /// Words for changes that are not a number (the health's verdicts and reasons).
        public var note: String? = nil
    }

    public let changes: [Change]
    /// Configurations only in OLD, and only in NEW.
    public let removed: [String]
    public let added: [String]
    /// Configurations in both runs.
    public let shared: Int
    /// Cell keys of shared configurations whose seed ran only in OLD, and only in NEW.
    public let seedsRemoved: [String]
    public let seedsAdded: [String]

    /// Compares `metrics` (names; every metric with a direction when empty) over the results
    /// of both runs, their tuning sweeps aside: a sweep is the search for a step size, and a
    /// different choice shows in the final cells' keys (configurations added and removed).
    public init(old: [CellResult], new: [CellResult], metrics: [String] = [], relativeTolerance: Double) {
        let oldGroups = Self.configurations(old.filter { $0.phase != .tune })
        let newGroups = Self.configurations(new.filter { $0.phase != .tune })
        var changes: [Change] = []
        for (configuration, newRuns) in newGroups.sorted(by: { $0.key < $1.key }) {
            guard let oldCells = oldGroups[configuration] else { continue }
            func seeds(_ cells: [CellResult], _ test: (CellResult) -> Bool) -> Set<UInt64> { Set(cells.filter(test).map(\.seed)) }
            let oldBroken = seeds(oldCells) { $0.status != .ok }, newBroken = seeds(newRuns) { $0.status != .ok }
            let oldDivergedSeeds = seeds(oldCells) { $0.status == .ok && $0.diverged }
            let newDivergedSeeds = seeds(newRuns) { $0.status == .ok && $0.diverged }
            let newlyBroken = !newBroken.isSubset(of: oldBroken)
            let newlyDiverged = !newDivergedSeeds.isSubset(of: oldDivergedSeeds)
            if newlyBroken {
                changes.append(Change(configuration: configuration, metric: "crashed", old: Double(oldBroken.count),
                                      new: Double(newBroken.count), noise: 0, verdict: .worse))
            }
            if newlyDiverged {
                changes.append(Change(configuration: configuration, metric: "diverged", old: Double(oldDivergedSeeds.count),
                                      new: Double(newDivergedSeeds.count), noise: 0, verdict: .worse))
            }
            if let health = Self.healthChange(configuration, old: oldCells, new: newRuns) { changes.append(health) }
            // The metrics of the seeds both runs have: a mean over other seeds is another number.
            let oldRuns = Self.cells(oldCells, withSeedsOf: newRuns).filter { $0.status == .ok }
            let newRuns = Self.cells(newRuns, withSeedsOf: oldCells).filter { $0.status == .ok }
            let names = metrics.isEmpty
                ? Array(Set((oldRuns + newRuns).flatMap(\.metrics).filter { $0.direction != .neutral }.map(\.name))).sorted()
                : metrics
            for name in names {
                guard let direction = (oldRuns + newRuns).lazy.flatMap(\.metrics).first(where: { $0.name == name })?.direction,
                      direction != .neutral else { continue }
                let (o, oNoise) = Self.summary(oldRuns, name), (n, nNoise) = Self.summary(newRuns, name)
                let noise = max(oNoise, nNoise)
                var verdict = Verdict.unchanged
                if let o, let n {
                    let delta = direction == .higherIsBetter ? n - o : o - n
                    if abs(delta) > relativeTolerance * abs(o) && abs(delta) > noise { verdict = delta > 0 ? .better : .worse }
                } else if o != nil && n == nil && !newlyDiverged && !newlyBroken {
                    verdict = .worse
                }
                changes.append(Change(configuration: configuration, metric: name, old: o, new: n, noise: noise, verdict: verdict))
            }
        }
        self.changes = changes
        removed = oldGroups.keys.filter { newGroups[$0] == nil }.sorted()
        added = newGroups.keys.filter { oldGroups[$0] == nil }.sorted()
        shared = newGroups.keys.filter { oldGroups[$0] != nil }.count
        func seedsOnly(in a: [String: [CellResult]], notIn b: [String: [CellResult]]) -> [String] {
            a.flatMap { configuration, cells -> [String] in
                guard let other = b[configuration] else { return [] }
                let seeds = Set(other.map(\.seed))
                return cells.filter { !seeds.contains($0.seed) }.map(\.key)
            }.sorted()
        }
        seedsRemoved = seedsOnly(in: oldGroups, notIn: newGroups)
        seedsAdded = seedsOnly(in: newGroups, notIn: oldGroups)
    }

    /// Whether every configuration and seed of each run is in the other.
    public var isComplete: Bool { removed.isEmpty && added.isEmpty && seedsRemoved.isEmpty && seedsAdded.isEmpty }

    /// The health of the seeds in both runs: worse when some seed's verdict got worse, better
    /// when none did and some got better; nil when unchanged, for sweep cells, and for seeds
    /// that failed or crashed (the "crashed" change reports those).
    static func healthChange(_ configuration: String, old: [CellResult], new: [CellResult]) -> Change? {
        let oldBySeed = Dictionary(old.filter { $0.phase != .tune && $0.status == .ok }.map { ($0.seed, $0) }) { a, _ in a }
        var worse: [String] = [], better = 0
        var oldWorst = CellHealth.Verdict.ok, newWorst = CellHealth.Verdict.ok
        for cell in new where cell.phase != .tune && cell.status == .ok {
            guard let before = oldBySeed[cell.seed] else { continue }
            let o = before.assessedHealth.verdict, n = cell.assessedHealth
            oldWorst = max(oldWorst, o)
            newWorst = max(newWorst, n.verdict)
            if n.verdict > o { worse.append("seed \(cell.seed) \(o.rawValue) → \(n.summary)") }
            if n.verdict < o { better += 1 }
        }
        let rank = { (v: CellHealth.Verdict) in Double(CellHealth.Verdict.allCases.firstIndex(of: v)!) }
        if !worse.isEmpty {
            return Change(configuration: configuration, metric: "health", old: rank(oldWorst), new: rank(newWorst), noise: 0,
                          verdict: .worse, note: worse.joined(separator: "; "))
        }
        guard better > 0 else { return nil }
        return Change(configuration: configuration, metric: "health", old: rank(oldWorst), new: rank(newWorst), noise: 0,
                      verdict: .better, note: "\(better) seeds healthier")
    }

    public var regressions: [Change] { changes.filter { $0.verdict == .worse } }
    public var improvements: [Change] { changes.filter { $0.verdict == .better } }

    /// The cells of `cells` whose seed is also among `others`' seeds: a configuration is
    /// compared over the seeds both runs have (the others are `seedsRemoved` / `seedsAdded`).
    private static func cells(_ cells: [CellResult], withSeedsOf others: [CellResult]) -> [CellResult] {
        let seeds = Set(others.map(\.seed))
        return cells.filter { seeds.contains($0.seed) }
    }

    /// The cell key without its seed: what identifies a configuration across seeds.
    static func configuration(_ result: CellResult) -> String {
        result.key.split(separator: "|").filter { !$0.hasPrefix("seed=") }.joined(separator: "|")
    }

    private static func configurations(_ results: [CellResult]) -> [String: [CellResult]] {
        Dictionary(grouping: results, by: configuration)
    }

    /// Mean over seeds where the metric is defined (nil if none), and the half-range.
    private static func summary(_ runs: [CellResult], _ name: String) -> (Double?, Double) {
        let values = runs.compactMap { $0.metric(name) }
        guard let lo = values.min(), let hi = values.max() else { return (nil, 0) }
        return (values.reduce(0, +) / Double(values.count), (hi - lo) / 2)
    }

    /// A Markdown report: regressions, improvements, then configurations and seeds added or
    /// removed. Every key, name and value is escaped (`Markdown.escaped`): a `|` in a key
    /// never splits a table cell.
    public func markdown(oldName: String, newName: String) -> String {
        func number(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "—" }
        func verdict(_ x: Double?) -> String { x.map { CellHealth.Verdict.allCases[Int($0)].rawValue } ?? "—" }
        func table(_ rows: [Change]) -> [String] {
            guard !rows.isEmpty else { return ["(none)"] }
            return [Markdown.row(["configuration", "metric", oldName, newName, "seed noise"]), "|---|---|---|---|---|"]
                + rows.map { c in
                    let (o, n) = c.metric == "health" ? (verdict(c.old), verdict(c.new) + (c.note.map { " (\($0))" } ?? ""))
                        : (number(c.old), number(c.new))
                    return Markdown.row([c.configuration, c.metric, o, n, number(c.noise)])
                }
        }
        func list(_ title: String, _ keys: [String]) -> [String] {
            keys.isEmpty ? [] : ["", "## " + Markdown.escaped(title), ""] + keys.map { "- " + Markdown.escaped($0) }
        }
        var lines = ["# Comparison: \(Markdown.escaped(oldName)) → \(Markdown.escaped(newName))", "",
                     "\(regressions.count) worse, \(improvements.count) better, \(changes.count - regressions.count - improvements.count) unchanged.",
                     "", "## Worse", ""] + table(regressions) + ["", "## Better", ""] + table(improvements)
        lines += list("Only in \(newName)", added) + list("Only in \(oldName)", removed)
        lines += list("Seeds only in \(newName)", seedsAdded) + list("Seeds only in \(oldName)", seedsRemoved)
        return lines.joined(separator: "\n") + "\n"
    }
}
