import Foundation
import Testing
@testable import Plotting
import Workbench

/// The report's text: the rankings drawn whole and built from healthy results only
/// (`ReportRankings`, `ReportHealth`), the overview's flagged list, the tuning rows.
@Suite struct ReportTextTests {
    /// Metrics a healthy cell reports (no convergence metric, so no health flag).
    static func healthy(_ ess: Double) -> [String: Double] { ["ess-per-gradient": ess, "b2": 0.01] }

    /// 12 targets × 6 samplers × 2 seeds: the rankings drawn into a PDF hold every target's
    /// every row, and no "more lines".
    @Test func rankingOfABigGridIsDrawnWhole() throws {
        let samplers = ["sgld", "sghmc", "sgnht", "psgld", "sgrld-shampoo", "baoab"]
        var results: [CellResult] = []
        for t in 1...12 {
            for (s, sampler) in samplers.enumerated() {
                for seed: UInt64 in [1, 2] {
                    results.append(try ReportFixtures.result(sampler, "target-\(t)", h: 0.01 * Double(s + 1), seed: seed,
                                                             metrics: Self.healthy(Double(s + t) / 100)))
                }
            }
        }
        let health = ReportHealth(results: results, tuning: nil)
        let groups = SeedGroup.grouping(results)
        let pages = ReportRankings.pages(groups, results: results, health: health)
        let whole = TextPagesTests.drawnWhole(pages)
        #expect(whole)
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = folder.appendingPathComponent("rankings.pdf")
        _ = try PlotRenderer().renderPDF(pages, to: pdf)
        let text = try TestSupport.pdfText(pdf)
        let noMoreLines = !text.contains("more lines")
        #expect(noMoreLines)
        func normalised(_ line: some StringProtocol) -> String { line.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let drawn = Set(text.split(separator: "\n").map(normalised))
        var missing: [String] = []
        for ranking in ReportRankings.rankings(groups, results: results, health: health) {
            let lines = ReportRankings.lines(ReportRankings.blocks(ranking, divergedHeading: ReportRankings.divergedHeading(results), width: 120))
            #expect(ranking.rows.count == samplers.count)
            missing += lines.map(normalised).filter { !$0.isEmpty && !drawn.contains($0) }
        }
        #expect(missing.isEmpty, "not in the PDF: \(missing.prefix(5))")
    }

    /// A target where only `exact` (no gradients, no ESS per gradient) is healthy says that no
    /// gradient-based sampler converged, under its one-row ranking.
    @Test func aTargetWhereOnlyExactIsHealthySaysSo() throws {
        var exact = Self.healthy(1)
        exact["ess-per-gradient"] = nil
        let results = [
            try ReportFixtures.result("exact", "illcond", h: nil, seed: 1, metrics: exact, fields: ["chains": 4]),
            try ReportFixtures.result("sgld", "illcond", h: 0.1, seed: 1, metrics: ["ess-per-gradient": 0.1, "rhat-max": 3.0],
                                      fields: ["chains": 4]),
        ]
        let groups = SeedGroup.grouping(results)
        let ranking = try #require(ReportRankings.rankings(groups, results: results, health: ReportHealth(results: results, tuning: nil)).first)
        #expect(ranking.rows.map(\.sampler) == ["exact"])
        let text = ReportRankings.lines(ReportRankings.blocks(ranking, divergedHeading: "diverged", width: 120)).joined(separator: "\n")
        #expect(text.contains(ReportRankings.noGradientSamplerConverged), "\(text)")
    }

    @Test func aFailingCellIsNotRankedButListedWithItsReason() throws {
        let stuck = ["ess-per-gradient": 9.0, "b2": 0.01, "stuck-chains": 4, "rhat-max": 4.58]
        let results = [
            try ReportFixtures.result("sgld", "smile", h: 0.1, seed: 1, metrics: Self.healthy(0.2), fields: ["chains": 4]),
            try ReportFixtures.result("sgld", "smile", h: 0.1, seed: 2, metrics: Self.healthy(0.3), fields: ["chains": 4]),
            // The best ESS, but one of its seeds is stuck: the configuration fails.
            try ReportFixtures.result("sghmc", "smile", h: 0.1, seed: 1, metrics: Self.healthy(5), fields: ["chains": 4]),
            try ReportFixtures.result("sghmc", "smile", h: 0.1, seed: 2, metrics: stuck, fields: ["chains": 4]),
            // A warning is ranked and marked.
            try ReportFixtures.result("sgnht", "smile", h: 0.1, seed: 1, metrics: Self.healthy(0.1).merging(["rhat-max": 1.05]) { $1 },
                                      fields: ["chains": 4]),
            // Every sampler fails on the second target.
            try ReportFixtures.result("sgld", "banana", h: 0.1, seed: 1, metrics: stuck, fields: ["chains": 4]),
            try ReportFixtures.result("sgld", "banana", h: 0.2, seed: 1, metrics: [:],
                                      fields: ["status": "crashed", "message": "signal 11"]),
        ]
        let health = ReportHealth(results: results, tuning: nil)
        let groups = SeedGroup.grouping(results)
        let rankings = ReportRankings.rankings(groups, results: results, health: health)
        let smile = try #require(rankings.first { $0.target == "smile" })
        #expect(smile.rows.map(\.sampler) == ["sgld", "sgnht"])
        #expect(smile.rows.map(\.health.code) == ["ok", "warn: rhat"])
        #expect(smile.failed.map(\.label) == ["sghmc h=0.1"])
        let lines = ReportRankings.lines(ReportRankings.blocks(smile, divergedHeading: "diverged", width: 120))
        let listed = lines.drop { $0 != "smile: not ranked (fail):" }.joined(separator: " ")
        #expect(listed.contains("sghmc h=0.1") && listed.contains("4 of 4 chains stuck") && listed.contains("R̂ 4.580 > 1.1"))
        #expect(listed.contains("(seed 2; 1 of 2 seeds)"))
        #expect(!lines.prefix { $0 != "smile: not ranked (fail):" }.contains { $0.contains("sghmc") })

        let banana = try #require(rankings.first { $0.target == "banana" })
        #expect(banana.rows.isEmpty && banana.failed.map(\.label) == ["sgld h=0.1", "sgld h=0.2"])
        let bananaText = ReportRankings.lines(ReportRankings.blocks(banana, divergedHeading: "diverged", width: 120)).joined(separator: "\n")
        #expect(bananaText.contains(ReportRankings.noneConverged) && bananaText.contains("the cell crashed: signal 11"))

        // The overview lists every flagged configuration with its reason; summary.md too.
        #expect(health.countLine == "cells 3 ok, 1 warn, 3 fail")
        #expect(health.flagged.map { "\($0.verdict.rawValue) \($0.label) on \($0.target)" }
                == ["fail sghmc h=0.1 on smile", "fail sgld h=0.1 on banana", "fail sgld h=0.2 on banana", "warn sgnht h=0.1 on smile"])
        let tables = SummaryTables(results: results)
        let sghmc = try #require(tables.tables.first { $0.target == "smile" }?.rows.first { $0[0] == "sghmc" })
        #expect(sghmc.contains { $0.hasPrefix("fail: 4 of 4 chains stuck") })
        #expect(tables.flagged.count == 4 && tables.rankings.count == 2)
    }

    @Test func theDivergedColumnCountsSweepAndFinalCells() throws {
        var results: [CellResult] = []
        for (h, diverged) in [(0.01, 0), (0.1, 2), (1.0, 4)] {
            results.append(try ReportFixtures.result("sgld", "gaussian", h: h, seed: 1000, metrics: Self.healthy(0.1),
                                                     fields: ["phase": "tune", "chains": 4, "divergedChains": diverged]))
        }
        for seed: UInt64 in [1, 2] {
            results.append(try ReportFixtures.result("sgld", "gaussian", h: 0.01, seed: seed, metrics: Self.healthy(0.1),
                                                     fields: ["phase": "final", "chains": 4]))
        }
        let health = ReportHealth(results: results, tuning: nil)
        let groups = SeedGroup.grouping(results.filter { $0.phase != .tune })
        let ranking = try #require(ReportRankings.rankings(groups, results: results, health: health).first)
        // 6 of the 20 chains of the pair's 5 cells; the final cells alone had none.
        #expect(ranking.rows.first?.divergenceRate == 6.0 / 20.0)
        #expect(ReportRankings.divergedHeading(results) == "diverged (sweep+final)")
        let block = try #require(ReportRankings.blocks(ranking, divergedHeading: ReportRankings.divergedHeading(results), width: 120).first)
        #expect(block.header.contains { $0.contains("diverged (sweep+final)") })
        #expect(block.lines.first?.contains("30%") == true)
        #expect(health.countLine == "final cells 2 ok, 0 warn, 0 fail; sweep cells 1 ok, 1 warn, 1 fail")
    }

    @Test func aTunedStepSizeAtTheSweepsEdgeWarnsItsFinalCells() throws {
        let finals = try [1, 2].map { seed in
            try ReportFixtures.result("sgld", "gaussian", h: 0.1, seed: UInt64(seed), metrics: Self.healthy(0.1),
                                      fields: ["phase": "final"])
        }
        let other = try ReportFixtures.result("sghmc", "gaussian", h: 0.01, seed: 1, metrics: Self.healthy(0.2),
                                              fields: ["phase": "final"])
        let decisions = [
            try ReportFixtures.decision("sgld", "gaussian", h: 0.1, sweep: [0.001, 0.01, 0.1, 0.2, 0.4], finalCells: finals.map(\.key),
                                        boundary: "h = 0.1 is the largest stable point of the sweep"),
            try ReportFixtures.decision("sghmc", "gaussian", h: 0.01, sweep: [0.001, 0.01, 0.1], finalCells: [other.key]),
        ]
        let health = ReportHealth(results: finals + [other], tuning: decisions)
        let sgld = try #require(health.configurations.first { $0.sampler == "sgld" })
        #expect(sgld.verdict == .warn && sgld.code == "warn: boundary")
        #expect(sgld.health.allSatisfy { $0.flags.contains { $0.check == "boundary" && $0.kind == .tuning } })
        #expect(health.configurations.first { $0.sampler == "sghmc" }?.verdict == .ok)

        let rows = ReportTuning.rows(decisions)
        #expect(rows[0][2] == "0.001…0.4 (5)" && rows[1][2] == "0.001…0.1 (3)")
        #expect(rows[0].last == "h = 0.1 is the largest stable point of the sweep" && rows[1].last == "—")
        #expect(ReportTuning.headings.count == rows[0].count)
        var spec = GridSpec(samplers: ["sgld", "sghmc"], targets: ["gaussian"], stepSizes: [], seeds: [1, 2], chains: 4, steps: 100)
        spec.tuning = TuningSpec(points: 3)
        let text = ReportTuning.pages(decisions, spec: spec).flatMap { page -> [String] in
            guard case .text(let lines) = page.panels[0].content else { return [] }
            return lines
        }
        #expect(text.contains("chosen h at an end of its sweep (its final cells warn: boundary):"))
        #expect(text.contains("  sgld on gaussian: h = 0.1 is the largest stable point of the sweep"))
        #expect(!text.contains { $0.contains("sghmc on gaussian:") })
    }

    /// The overview lists every flagged configuration with its checks, states the health
    /// counts and where the tuning pages are; summary.md has the health column, the flagged
    /// section and the ranking.
    @Test func theOverviewAndSummaryListEveryFlaggedConfiguration() throws {
        let stuck = ["ess-per-gradient": 9.0, "b2": 0.01, "stuck-chains": 4, "rhat-max": 4.58]
        var results: [CellResult] = []
        for t in 1...12 {
            results.append(try ReportFixtures.result("sgld", "target-\(t)", h: 0.1, seed: 1, metrics: Self.healthy(0.2),
                                                     fields: ["chains": 4, "phase": "final"]))
            results.append(try ReportFixtures.result("smile", "target-\(t)", h: 0.1, seed: 1, metrics: stuck,
                                                     fields: ["chains": 4, "phase": "final"]))
            results.append(try ReportFixtures.result("sghmc", "target-\(t)", h: 0.1, seed: 1,
                                                     metrics: Self.healthy(0.1).merging(["bulk-ess-min": 200]) { $1 },
                                                     fields: ["chains": 4, "phase": "final"]))
        }
        var spec = GridSpec(samplers: ["sgld", "smile", "sghmc"], targets: (1...12).map { "target-\($0)" }, stepSizes: [],
                            seeds: [1], chains: 4, steps: 100)
        spec.tuning = TuningSpec()
        let manifest = GridManifest(spec: spec, provenance: Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d"),
                                    cellCount: results.count)
        let pages = ReportBuilder.pages(results: results, manifest: manifest, tuning: [])
        let overview = pages.prefix { $0.stem.hasPrefix("overview") && !$0.stem.hasPrefix("overview-efficiency") }
        #expect(!overview.isEmpty && TextPagesTests.drawnWhole(Array(overview)))
        let text = overview.flatMap { page -> [String] in
            guard case .text(let lines) = page.panels[0].content else { return [] }
            return lines
        }.joined(separator: "\n")
        #expect(text.contains("tuned per sampler and target (the \"Tuning protocol\" pages)") && !text.contains("next page"))
        #expect(text.contains("health        final cells 12 ok, 12 warn, 12 fail"))
        for t in 1...12 {
            #expect(text.contains("target-\(t)  ") && text.contains("fail: smile h=0.1 (stuck, rhat)"))
        }
        #expect(text.components(separatedBy: "smile h=0.1 (stuck, rhat)").count - 1 == 12)
        #expect(text.components(separatedBy: "sghmc h=0.1 (bulk-ess)").count - 1 == 12)

        let summary = SummaryMarkdown.render(SummaryTables(results: results, manifest: manifest, tuning: []), manifest: manifest)
        #expect(summary.contains("## Flagged configurations") && summary.contains("## Ranking per target"))
        #expect(summary.contains("| target-3 | smile h=0.1 | fail: 4 of 4 chains stuck"))
        #expect(summary.contains("| sghmc | 0.1 | full | 1 | 0/4 | warn: bulk-ESS 200 < 400 (100 per chain) |"))
        #expect(summary.components(separatedBy: ReportRankings.divergedHeading(results)).count - 1 == 12)
    }

    @Test func storedReasonsShowFourDigits() {
        #expect(ReportFormat.roundingNumbers(in: "R̂ 1.0366010297429795 > 1.01; bulk-ESS 96.96786403387277 < 400")
                == "R̂ 1.037 > 1.01; bulk-ESS 96.97 < 400")
        #expect(ReportFormat.roundingNumbers(in: "h 0.009129, gsl 2.7.1, 49.909981996399274% of steps")
                == "h 0.009129, gsl 2.7.1, 49.91% of steps")
    }
}
