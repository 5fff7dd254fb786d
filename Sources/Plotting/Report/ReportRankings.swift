import Workbench

/// The "Ranking per target" pages and their text form: per target, the samplers ranked by
/// ESS per gradient, healthy results only (`ReportHealth`).
///
/// The rule: a configuration that fails (any of its final seeds fails, `CellHealth`) is never
/// ranked. A sampler is ranked by its best ESS per gradient (seed mean) over its configurations
/// that do not fail; its b² is the lowest over the same configurations; "max stable h" is the
/// largest step size among them with no diverged chain. The health column is that of the
/// configuration giving the ESS: "ok", or "warn: " and the checks that warned. The
/// configurations that fail are listed under the table with their reasons; a target where
/// no sampler has one that does not fail says so. The diverged column is the share of
/// diverged chains over every cell of the sampler and target that finished: sweep and final
/// cells with a tuning protocol, every step size and seed without.
enum ReportRankings {
    /// One ranked sampler.
    struct Row {
        let sampler: String
        let ess: (value: Double, stepSize: Double?)?
        let bias: (value: Double, stepSize: Double?)?
        let divergenceRate: Double
        let maxStableStepSize: Double?
        /// The health of the configuration giving `ess`.
        let health: ReportHealth.Configuration
    }

    /// One target's ranking: the rows, best first, and the configurations left out.
    struct Ranking {
        let target: String
        let rows: [Row]
        let failed: [ReportHealth.Configuration]
    }

    /// Per target in grid order: its ranking from the final cells' `groups`, `health`, and every
    /// finished cell of either phase in `results` (for the divergence rate).
    static func rankings(_ groups: [SeedGroup], results: [CellResult], health: ReportHealth) -> [Ranking] {
        var targets: [String] = []
        for c in health.configurations where !targets.contains(c.target) { targets.append(c.target) }
        return targets.map { target in
            let mine = health.configurations.filter { $0.target == target }
            var samplers: [String] = []
            for c in mine where !samplers.contains(c.sampler) { samplers.append(c.sampler) }
            let rows = samplers.compactMap { sampler -> Row? in
                // The sampler's configurations that do not fail, each with its seed group.
                let kept: [(health: ReportHealth.Configuration, group: SeedGroup)] = mine.compactMap { c in
                    guard c.sampler == sampler, c.verdict != .fail else { return nil }
                    let group = groups.first { g in
                        g.target == target && g.sampler == sampler && g.stepSize == c.cells.stepSize && g.batchSize == c.cells.batchSize
                    }
                    return group.map { (c, $0) }
                }
                func essOf(_ g: SeedGroup) -> Double { g.spread(.essPerGradient)?.mean ?? -1 }
                guard let best = kept.max(by: { essOf($0.group) < essOf($1.group) }) else { return nil }
                let ess = best.group.spread(.essPerGradient).map { ($0.mean, best.group.stepSize) }
                let bias = kept.compactMap { k in k.group.spread(.b2).map { ($0.mean, k.group.stepSize) } }.min { $0.0 < $1.0 }
                let cells = results.filter { $0.status == .ok && $0.targetLabel == target && $0.samplerLabel == sampler }
                let chains = cells.reduce(0) { $0 + $1.chains }, diverged = cells.reduce(0) { $0 + $1.divergedChains }
                return Row(sampler: sampler, ess: ess, bias: bias,
                           divergenceRate: chains > 0 ? Double(diverged) / Double(chains) : 0,
                           maxStableStepSize: kept.filter { $0.group.divergedChains.diverged == 0 }.compactMap(\.group.stepSize).max(),
                           health: best.health)
            }.sorted { ($0.ess?.value ?? -1) > ($1.ess?.value ?? -1) }
            return Ranking(target: target, rows: rows, failed: mine.filter { $0.verdict == .fail })
        }
    }

    /// The heading of the diverged column: which cells it counts.
    static func divergedHeading(_ results: [CellResult]) -> String {
        results.contains { $0.phase == .tune } ? "diverged (sweep+final)" : "diverged (all h, seeds)"
    }

    static let noneConverged = "no sampler converged on this target at this budget"
    static let noGradientSamplerConverged = "no gradient-based sampler converged on this target at this budget (only what spends no gradients is healthy)"

    /// One target's ranking as text blocks: the target and its table, kept together (one
    /// step-size column when every row has its best ESS and its best b² at the same h), then
    /// the failed configurations, a list that may continue on the next page under its title.
    static func blocks(_ ranking: Ranking, divergedHeading: String, width: Int) -> [TextBlock] {
        let failed = ranking.failed.isEmpty ? [] : [TextBlock(
            header: ["\(ranking.target): not ranked (fail):"],
            entries: ranking.failed.map { TextBlock.wrapped("  \($0.label): \($0.reason(short: true))", width: width, indent: 6) },
            keepTogether: false)]
        guard !ranking.rows.isEmpty else { return [TextBlock(header: [ranking.target], lines: ["  " + noneConverged])] + failed }
        let oneH = ranking.rows.allSatisfy { $0.ess?.stepSize == $0.bias?.stepSize || $0.ess == nil || $0.bias == nil }
        let headers = ["rank", "sampler", "ESS/grad"] + (oneH ? ["b²", "at h"] : ["at h", "b² (best)", "at h"])
            + [divergedHeading, "max stable h", "health"]
        let rows = ranking.rows.enumerated().map { i, row -> [String] in
            let h = ReportFormat.number(row.ess?.stepSize ?? row.bias?.stepSize)
            let numbers = oneH ? [ReportFormat.number(row.ess?.value), ReportFormat.number(row.bias?.value), h]
                : [ReportFormat.number(row.ess?.value), ReportFormat.number(row.ess?.stepSize),
                   ReportFormat.number(row.bias?.value), ReportFormat.number(row.bias?.stepSize)]
            return ["\(i + 1)", row.sampler] + numbers
                + [String(format: "%.0f%%", 100 * row.divergenceRate), ReportFormat.number(row.maxStableStepSize), row.health.code]
        }
        let right = Set(oneH ? [0, 2, 3, 4, 5, 6] : [0, 2, 3, 4, 5, 6, 7])
        // Ranked rows without ESS per gradient spend no gradients (`exact`): they are a reference, not a sampler that converged.
        let footer = ranking.rows.allSatisfy { $0.ess == nil } ? ["  " + noGradientSamplerConverged] : []
        return [TextBlock(title: [ranking.target], table: TextTable(headers: headers, rows: rows, rightAligned: right), footer: footer)]
            + failed
    }

    /// The blocks of `blocks` as lines, a blank line between two (the text form of summary.md).
    static func lines(_ blocks: [TextBlock]) -> [String] {
        blocks.map { $0.header + $0.lines }.joined(separator: [""]).map { $0 }
    }

    /// What the health column and the lists mean, wrapped to `width`.
    static func legend(width: Int) -> [String] {
        TextBlock.wrapped("A configuration with a failing cell (CellHealth fail, on any seed) is never ranked: it is listed"
                          + " under its target with the reason. health: ok, or warn and the checks that warned"
                          + " (rhat: R̂ > 1.01; bulk-ess, tail-ess: ESS < 100 per chain; diverged: some chains diverged,"
                          + " the metrics are the others'; acceptance < 0.5; boundary: the tuned h is at an end of its sweep).",
                          width: width)
    }

    /// The ranking pages: the legend, then each target's blocks, split over pages so that no
    /// row is cut and a table stays whole on one page.
    static func pages(_ groups: [SeedGroup], results: [CellResult], health: ReportHealth) -> [Page] {
        let width = min(TextCapacity.page.characters, 120)
        let heading = divergedHeading(results)
        let targets = rankings(groups, results: results, health: health).flatMap {
            blocks($0, divergedHeading: heading, width: width)
        }
        return Page.textPages(title: "Ranking per target (ESS per gradient, healthy only)",
                              stem: "rankings", blocks: [TextBlock(lines: legend(width: width))] + targets)
    }
}
