import Foundation
import Testing
@testable import Plotting
import Workbench

/// The overview heatmaps count what they say (every cell of a pair for stability, sweep
/// included), carry a colour bar with units, and draw failed pairs as failed.
@Suite struct ReportHeatmapTests {
    /// A result of `sampler` on std-normal-1d at h with `diverged` of 4 chains diverged, in a
    /// tuning phase, with the health `verdict` (ok: no flags).
    func result(_ sampler: String, h: Double, phase: CellPhase, diverged: Int = 0, verdict: CellHealth.Verdict = .ok) throws -> CellResult {
        let cell = Cell(sampler: sampler, target: "std-normal-1d", stepSize: h, chains: 4, steps: 1_000, warmup: 0)
        var chain = ChainRecord(dimension: 1, thin: 1, maxDraws: 100, histogram: StreamingHistogram(lower: -6, binWidth: 0.1, bins: 120))
        for k in 0..<100 { chain.record([sin(Double(k))]) }
        let parameters = try ResolvedParameters([:], specs: [], owner: "test")
        let run = RunRecord(cell: cell, hyperparameters: parameters, targetOptions: parameters, dimension: 1, dataSize: 1,
                            parameterNames: ["x[1]"], chains: Array(repeating: chain, count: 4), perDatumGradientEvaluations: 1_000,
                            potentialEvaluations: 0, wallSeconds: 0)
        let reference = Reference(kind: .exact, mean: [0], variance: [1], secondMoment: [1], secondMomentVariance: [2])
        var r = CellResult(run: run, reference: reference, diagnostics: [],
                           provenance: Provenance(revision: "", toolchain: "", libraries: [:], host: "", date: ""))
        var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(r)) as! [String: Any]
        object["divergedChains"] = diverged
        object["diverged"] = diverged > 0
        object["key"] = "\(sampler)|\(h)|\(phase.rawValue)"
        object["metrics"] = [["diagnostic": "ess", "name": "ess-per-gradient", "value": 0.01, "unit": "", "direction": "higher"],
                             ["diagnostic": "moments", "name": "b2", "value": 0.001, "unit": "", "direction": "lower"]]
        r = try JSONDecoder().decode(CellResult.self, from: try JSONSerialization.data(withJSONObject: object))
        r.phase = phase
        r.health = CellHealth(flags: verdict == .ok ? [] : [.init(check: "rhat", severity: verdict, kind: .runLonger, reason: "R̂")])
        return r
    }

    func heatmap(_ page: Page) throws -> Heatmap {
        guard case .heatmap(let map) = try #require(page.panels.first).content else {
            Issue.record("\(page.stem) is not a heatmap")
            throw CancellationError()
        }
        return map
    }

    @Test func stabilityCountsSweepCellsAndFailedPairsAreMarked() throws {
        let results = [
            // every sweep point of "unstable" diverged; it has no final cell
            try result("unstable", h: 0.1, phase: .tune, diverged: 4), try result("unstable", h: 0.2, phase: .tune, diverged: 4),
            // "failing" is stable but its final cell fails its health check
            try result("failing", h: 0.1, phase: .tune), try result("failing", h: 0.1, phase: .final, verdict: .fail),
            try result("fine", h: 0.1, phase: .tune), try result("fine", h: 0.2, phase: .tune, diverged: 1),
            try result("fine", h: 0.1, phase: .final, verdict: .warn),
        ]
        let pages = ReportOverview.heatmaps(results: results, health: ReportHealth(results: results, tuning: nil))
        #expect(pages.map(\.stem) == ["overview-efficiency", "overview-bias", "overview-divergence", "overview-max-stable-h"])
        let divergence = try heatmap(pages[2])
        #expect(divergence.rowLabels == ["unstable", "failing", "fine"])
        // "fine": 1 of 12 chains (two sweep cells and the final one) diverged.
        #expect(divergence.cells.map { $0[0].value }.prefix(2) == [100, 0])
        #expect(abs((divergence.cells[2][0].value ?? 0) - 100.0 / 12) < 1e-9 && divergence.cells[2][0].text == "8%\n1/12")
        #expect(divergence.cells[0][0].text == "100%\n8/8")
        #expect(divergence.unit == "% of chains diverged" && divergence.range == .fixed(0...100))
        #expect(pages[2].panels[0].title.contains("sweep + final"))
        let stable = try heatmap(pages[3])
        #expect(stable.cells.map { $0[0].value } == [nil, 0.1, 0.1])
        #expect(stable.cells[0][0].text == "none")
        for page in pages {
            let map = try heatmap(page)
            #expect(!map.unit.isEmpty, "\(page.stem) has no colour-bar label")
            #expect(map.cells[1][0].mark == .fail, "\(page.stem): the failed pair is not drawn as failed")
            #expect(map.cells[2][0].mark == .warn, "\(page.stem): the warn pair has no mark")
        }
    }

    /// A pair whose only trouble is a tuned step size left at an end of its sweep gets the warn
    /// mark too, as on page 1 and in the rankings.
    @Test func aTuningBoundaryMarksThePairWarn() throws {
        let results = [try result("edge", h: 0.1, phase: .tune), try result("edge", h: 0.1, phase: .final)]
        let decision = try ReportFixtures.decision("edge", "std-normal-1d", h: 0.1, sweep: [0.1], finalCells: [results[1].key],
                                                   boundary: "chosen h is the largest of 7 evaluated")
        let plain = ReportOverview.heatmaps(results: results, health: ReportHealth(results: results, tuning: nil))
        #expect(try heatmap(plain[0]).cells[0][0].mark == Heatmap.CellMark.none)
        let pages = ReportOverview.heatmaps(results: results, health: ReportHealth(results: results, tuning: [decision]))
        #expect(try heatmap(pages[0]).cells[0][0].mark == .warn)
    }
}
