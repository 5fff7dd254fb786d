import Workbench

/// The results tables of the report, as data: one table per target, one row per
/// configuration with its health (`ReportHealth`), each metric as "mean [min, max]" over
/// seeds; the flagged configurations and the rankings; plus the metrics' units and
/// directions. `summary.md` and `index.html` render the same tables.
struct SummaryTables {
    struct Table {
        let target: String
        let headings: [String]
        let rows: [[String]]
    }

    /// The metric columns of every table: metric name, heading (BNN tables add their predictive
    /// metrics, `ReportPages.predictiveMetrics`).
    static let columns: [(metric: String, heading: String)] = [
        (MetricName.b2, "b²"),
        (.meanErrorMax, "max mean error (sd)"),
        (.varianceRatioWorst, "worst var ratio"),
        (.bulkESSMin, "bulk ESS (min)"),
        (.rhatMax, "R̂ (max)"),
        (.essPerGradient, "ESS / gradient"),
    ].map { ($0.0.rawValue, $0.1) }

    /// The per-chain b² columns (`chain-b2`), shown when the results have them.
    static let chainBiasColumns = [(MetricName.chainB2SquaresMean.rawValue, "b² x² per chain"), (MetricName.chainB2SquaresSD.rawValue, "sd over chains")]

    static let preamble = """
        Each value is the mean over seeds, with [min, max] when there are several; — is undefined \
        (a diverged cell, or no gradients for ESS per gradient). Diverged counts chains over all seeds.
        """

    static let healthNote = """
        Health (CellHealth): fail is not a result (never ranked); warn is a result \
        with a caveat. A configuration has the worst verdict of its seeds; the reasons are those of \
        the first seed with it.
        """

    let tables: [Table]
    /// (metric "diagnostic.name", unit, better) for every metric in the results.
    let metrics: [(name: String, unit: String, better: String)]
    /// Cells that failed, crashed or were skipped, with the counts (`UnfinishedCells`).
    let unfinished: UnfinishedCells
    /// The verdicts of pairs run with exact and noisy gradients (`NoiseVerdicts`).
    let noise: NoiseVerdicts
    /// The SMILE paper's UCI table when the grid ran `bnn-smile-*` targets (`UCIBenchmarkTable`).
    let uci: UCIBenchmarkTable
    /// Cells whose chains the wall-time cap stopped: key, steps done over all chains.
    let truncated: [(key: String, stepsDone: Int)]
    /// Every configuration that warns or fails: target, configuration label, its health
    /// summary (`ReportHealth.Configuration.summary`), fail first.
    let flagged: [(target: String, configuration: String, health: String)]
    /// The ranking per target as text (`ReportRankings`), one block of lines per target.
    let rankings: [[String]]
    /// The tuning protocol's settings (lines) and decision rows (`ReportTuning.rows`), if any.
    let tuningSettings: [String]?
    let tuning: [[String]]?

    /// Tables of `results` (with a tuning protocol, of its final cells; the sweep is in
    /// `tuning`); failed, crashed and truncated cells of either phase, and skipped final cells.
    init(results: [CellResult], manifest: GridManifest? = nil, tuning decisions: [TuningDecision]? = nil, tuningSettings: [String]? = nil) {
        let groups = SeedGroup.grouping(results.filter { $0.phase != .tune })
        let health = ReportHealth(results: results, tuning: decisions)
        self.tuningSettings = tuningSettings
        flagged = health.flagged.map { ($0.target, $0.label, $0.summary) }
        let heading = ReportRankings.divergedHeading(results)
        rankings = ReportRankings.rankings(groups, results: results, health: health).map {
            ReportRankings.lines(ReportRankings.blocks($0, divergedHeading: heading, width: 120))
        }
        tuning = decisions.map(ReportTuning.rows)
        truncated = results.filter { $0.truncated == true }.map { ($0.key, $0.stepsDone ?? 0) }
        tables = ReportPages.targets(groups).map { target in
            let mine = groups.filter { $0.target == target }
            // Targets with predictions (the BNNs) add the predictive metrics they define; grids
            // that ran `chain-b2` add the per-chain b² of x² (the SMILE paper's metric, arXiv 2602.06500).
            let columns = Self.columns + (ReportPages.predictiveMetrics.map { ($0.metric, $0.metric) } + Self.chainBiasColumns)
                .filter { column in mine.contains { $0.spread(column.metric) != nil } }
            let headings = ["sampler", "h", "batch", "seeds", "diverged chains", "health"] + columns.map(\.heading)
                + ["gradients", "wall s"]
            return Table(target: target, headings: headings, rows: mine.map { g in
                let (diverged, chains) = g.divergedChains
                return [g.sampler, ReportFormat.number(g.stepSize), "\(g.batchSize)",
                        "\(g.results.count)", "\(diverged)/\(chains)", health.configuration(of: g)?.summary ?? "ok"]
                    + columns.map { ReportFormat.spread(g.spread($0.metric)) }
                    + [ReportFormat.number(g.results.map(\.gradientEvaluations).reduce(0, +) / Double(g.results.count)),
                       ReportFormat.number(g.results.map(\.wallSeconds).reduce(0, +))]
            })
        }
        var seen = Set<String>()
        metrics = results.flatMap(\.metrics).compactMap { m in
            let name = m.diagnostic + "." + m.name
            guard seen.insert(name).inserted else { return nil }
            return (name, m.unit, m.direction == .neutral ? "—" : m.direction.rawValue)
        }
        unfinished = UnfinishedCells(results: results, manifest: manifest, tuning: decisions)
        noise = NoiseVerdicts(results: results)
        uci = UCIBenchmarkTable(results: results)
    }
}
