import Workbench

/// Which verdicts change with gradient noise: for every (sampler, target) run in more than one
/// gradient condition — exact gradients and a noise model (`noise=`), or full batch and
/// minibatches (`n=`) — the condition's health (the worst verdict over its final seeds, each
/// seed's `assessedHealth`), ESS per gradient (seed mean) and b² (seed mean) side by side, and
/// the pairs whose verdict differs between conditions listed first. This is the question a
/// stochastic-gradient benchmark is for: does a sampler that works on exact gradients still
/// work on minibatches?
struct NoiseVerdicts {
    struct Condition {
        /// "exact", "noise=isotropic", "n=10"…
        let label: String
        let verdict: CellHealth.Verdict
        /// The checks that set the verdict ("rhat,bulk-ess").
        let checks: [String]
        let essPerGradient: Double?
        let b2: Double?
    }

    struct Pair {
        let sampler: String
        let target: String
        let conditions: [Condition]

        var changes: Bool { Set(conditions.map(\.verdict)).count > 1 }
    }

    let pairs: [Pair]

    /// The condition of a result: its noise model, else its batch size when it is a minibatch,
    /// else "exact".
    static func condition(of r: CellResult) -> String {
        if case .text(let noise)? = r.targetOptions["noise"], noise != "none" { return "noise=\(noise)" }
        if case .size(let n) = r.batchSize { return "n=\(n)" }
        return "exact"
    }

    /// The pairs of `results` (final cells; sweep cells left out) with more than one condition,
    /// in the results' order. Target options the grid set other than the noise model stay in
    /// the target's label, so different targets are never compared as conditions of one.
    init(results: [CellResult]) {
        let finals = results.filter { $0.phase != .tune && $0.status == .ok }
        func target(_ r: CellResult) -> String {
            r.targetLabel.split(separator: " ").filter { !$0.hasPrefix("noise=") }.joined(separator: " ")
        }
        var order: [String] = []
        var members: [String: [CellResult]] = [:]
        for r in finals {
            let key = r.samplerLabel + "|" + target(r)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(r)
        }
        pairs = order.compactMap { key in
            let cells = members[key]!
            var labels: [String] = []
            for r in cells where !labels.contains(Self.condition(of: r)) { labels.append(Self.condition(of: r)) }
            guard labels.count > 1 else { return nil }
            let conditions = labels.map { label -> Condition in
                let mine = cells.filter { Self.condition(of: $0) == label }
                let health = mine.map(\.assessedHealth)
                let verdict = health.map(\.verdict).max() ?? .ok
                var checks: [String] = []
                for h in health { for f in h.flags where f.severity == verdict && !checks.contains(f.check) { checks.append(f.check) } }
                func mean(_ name: MetricName) -> Double? {
                    let values = mine.compactMap { $0.metric(name) }
                    return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
                }
                return Condition(label: label, verdict: verdict, checks: checks, essPerGradient: mean(.essPerGradient),
                                 b2: mean(.b2))
            }
            return Pair(sampler: cells[0].samplerLabel, target: target(cells[0]), conditions: conditions)
        }
    }

    /// One line per pair: "sgld  gaussian-iso  exact: ok, ESS/grad 0.0263, b² 0.0012 → noise=isotropic: fail (rhat,bulk-ess) …".
    func line(_ pair: Pair) -> String {
        let parts = pair.conditions.map { c in
            "\(c.label): \(c.verdict.rawValue)" + (c.checks.isEmpty ? "" : " (\(c.checks.joined(separator: ",")))")
                + ", ESS/grad \(ReportFormat.number(c.essPerGradient)), b² \(ReportFormat.number(c.b2))"
        }
        return "\(pair.sampler) on \(pair.target): " + parts.joined(separator: " → ")
    }

    /// The text pages: a summary count, the pairs whose verdict changes, then the count of those
    /// whose verdict does not (their numbers are in summary.md's tables). No page when no pair
    /// ran in two conditions.
    func pages() -> [Page] {
        guard !pairs.isEmpty else { return [] }
        let changed = pairs.filter(\.changes)
        let intro = TextBlock.wrapped(
            "Each (sampler, target) run with exact gradients and with gradient noise (a noise model, or minibatches of "
                + "its data): the health of each condition (worst over its final seeds; the checks that set it), ESS per "
                + "gradient and b² (seed means). \(changed.count) of \(pairs.count) pairs change their verdict with the "
                + "gradient condition.", width: 110)
        return Page.textPages(title: "Verdicts that change with gradient noise", stem: "noise-verdicts", blocks: [
            TextBlock(lines: intro),
            TextBlock(header: ["verdict changes with the gradient condition:"], entries: changed.map { [line($0)] }, keepTogether: false),
            TextBlock(lines: ["\(pairs.count - changed.count) pairs keep their verdict in every condition: "
                              + "\(Self.tally(pairs.filter { !$0.changes }))."]),
        ])
    }

    /// "30 fail, 12 warn, 21 ok": the verdicts of pairs that keep theirs.
    static func tally(_ pairs: [Pair]) -> String {
        CellHealth.Verdict.allCases.reversed().compactMap { v in
            let n = pairs.filter { $0.conditions.first?.verdict == v }.count
            return n > 0 ? "\(n) \(v.rawValue)" : nil
        }.joined(separator: ", ")
    }

    /// The same lists for summary.md.
    func markdown() -> [String] {
        guard !pairs.isEmpty else { return [] }
        let changed = pairs.filter(\.changes)
        var out = ["", "## Verdicts that change with gradient noise", "",
                   "\(changed.count) of \(pairs.count) (sampler, target) pairs run with exact and noisy gradients change their verdict.", ""]
        out += changed.map { "- " + line($0).replacingOccurrences(of: "|", with: "\\|") }
        return out
    }
}
