import Workbench

/// The health of a grid's cells as the report shows it (`CellHealth`, DIAGNOSTICS.md
/// "Health"): every result's `assessedHealth`, plus the tuning flag `boundary` on the final
/// cells of a pair whose decision has one (`TuningDecision.boundary`: the chosen step size
/// sits at an end of its sweep), and the verdict of each configuration over its seeds.
///
/// A configuration (target, sampler, step size, batch size; `SeedGroup.configuration(of:)`)
/// has the worst verdict of its final cells: it fails when any of its seeds fails (a failed
/// or crashed cell included), warns when any warns, and is ok otherwise. Sweep cells (phase
/// `.tune`) are counted apart and never make a configuration's verdict.
struct ReportHealth {
    /// One configuration's final cells over its seeds, with their health.
    struct Configuration {
        /// Its cells, any status, in grid order (a `SeedGroup` of them, for labels).
        let cells: SeedGroup
        /// Each cell's health, in the order of `cells.results`.
        let health: [CellHealth]

        var target: String { cells.target }
        var sampler: String { cells.sampler }
        /// "sgld h=0.01 n=256".
        var label: String { cells.label }

        var verdict: CellHealth.Verdict { health.map(\.verdict).max() ?? .ok }

        /// The checks that raised a flag of the configuration's verdict, over its seeds, in
        /// first-seen order ("rhat", "bulk-ess"); empty when ok.
        var checks: [String] {
            var seen: [String] = []
            for flag in health.flatMap(\.flags) where flag.severity == verdict && !seen.contains(flag.check) {
                seen.append(flag.check)
            }
            return seen
        }

        /// "ok", or "warn: rhat,bulk-ess" / "fail: stuck,rhat": the verdict and its checks, for a
        /// table column.
        var code: String { verdict == .ok ? "ok" : verdict.rawValue + ": " + checks.joined(separator: ",") }

        /// "ok", or the verdict and its reasons: "fail: R̂ 4.58 > 1.1: … (all 2 seeds)".
        var summary: String { verdict == .ok ? "ok" : verdict.rawValue + ": " + reason() }

        /// The reasons of the first seed with the configuration's verdict (its flags of that
        /// severity, numbers to four digits), and, with several seeds, which seed and how many
        /// share the verdict: "R̂ 4.58 > 1.1: …; bulk-ESS 3 < 40 … (all 2 seeds)", "… (seed 2; 1 of 2 seeds)".
        /// `short`: each reason up to its explanation ("R̂ 4.58 > 1.1; bulk-ESS 3 < 40 (10 per
        /// chain)"), a failed or crashed cell's message kept. Empty when ok.
        func reason(short: Bool = false) -> String {
            guard verdict != .ok, let first = health.firstIndex(where: { $0.verdict == verdict }) else { return "" }
            let text = health[first].flags.filter { $0.severity == verdict }.map { flag in
                guard short, flag.check != "status", let colon = flag.reason.range(of: ": ") else { return flag.reason }
                return String(flag.reason[..<colon.lowerBound])
            }.joined(separator: "; ")
            let rounded = ReportFormat.roundingNumbers(in: text)
            guard health.count > 1 else { return rounded }
            let count = health.filter { $0.verdict == verdict }.count
            return rounded + (count == health.count ? " (all \(count) seeds)"
                : " (seed \(cells.results[first].seed); \(count) of \(health.count) seeds)")
        }
    }

    /// Every configuration of the final cells (all cells without a tuning protocol), in grid order.
    let configurations: [Configuration]
    /// Final cells by verdict.
    let finalCounts: [CellHealth.Verdict: Int]
    /// Sweep cells by verdict (empty without a tuning protocol).
    let sweepCounts: [CellHealth.Verdict: Int]
    /// Whether the results come from a tuning protocol (they have a phase).
    let tuned: Bool

    /// The tuning boundary's reason by final cell key (`TuningDecision.boundary`).
    let boundary: [String: String]

    /// The health of `r`: its own, with the boundary warning of its pair's decision.
    func health(of r: CellResult) -> CellHealth { Self.health(of: r, boundary: boundary) }

    private static func health(of r: CellResult, boundary: [String: String]) -> CellHealth {
        r.assessedHealth.adding(boundary[r.key].map {
            CellHealth.Flag(check: "boundary", severity: .warn, kind: .tuning, reason: $0)
        })
    }

    init(results: [CellResult], tuning: [TuningDecision]?) {
        var boundary: [String: String] = [:]
        for d in tuning ?? [] {
            guard let reason = d.boundary else { continue }
            for key in d.finalCells { boundary[key] = reason }
        }
        self.boundary = boundary
        func health(_ r: CellResult) -> CellHealth { Self.health(of: r, boundary: boundary) }
        let finals = results.filter { $0.phase != .tune }
        var order: [String] = [], members: [String: [CellResult]] = [:]
        for r in finals {
            let key = SeedGroup.configuration(of: r)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(r)
        }
        configurations = order.map { key in
            let rs = members[key]!
            return Configuration(cells: SeedGroup(target: rs[0].targetLabel, sampler: rs[0].samplerLabel,
                                                  stepSize: rs[0].stepSize, batchSize: rs[0].batchSize, results: rs),
                                 health: rs.map(health))
        }
        func counts(_ rs: [CellResult]) -> [CellHealth.Verdict: Int] {
            rs.reduce(into: [:]) { $0[health($1).verdict, default: 0] += 1 }
        }
        finalCounts = counts(finals)
        sweepCounts = counts(results.filter { $0.phase == .tune })
        tuned = results.contains { $0.phase != nil }
    }

    /// The configuration of `group` (same target, sampler, step size and batch size).
    func configuration(of group: SeedGroup) -> Configuration? {
        configurations.first {
            $0.target == group.target && $0.sampler == group.sampler && $0.cells.stepSize == group.stepSize
                && $0.cells.batchSize == group.batchSize
        }
    }

    /// The configurations that warn or fail, fail first, each in grid order.
    var flagged: [Configuration] {
        configurations.filter { $0.verdict == .fail } + configurations.filter { $0.verdict == .warn }
    }

    /// "final cells 30 ok, 12 warn, 8 fail; sweep cells 60 ok, 20 warn, 10 fail" with a tuning
    /// protocol, "cells 30 ok, 12 warn, 8 fail" without.
    var countLine: String {
        func line(_ counts: [CellHealth.Verdict: Int]) -> String {
            CellHealth.Verdict.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        }
        return !tuned ? "cells " + line(finalCounts)
            : "final cells " + line(finalCounts) + "; sweep cells " + line(sweepCounts)
    }
}
