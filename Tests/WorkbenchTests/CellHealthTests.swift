import Foundation
import Testing
@testable import Workbench

/// `CellHealth`: each check of the table in its doc comment, at and beyond its thresholds, and
/// the kinds that tell "run longer" from "broken".
@Suite struct CellHealthTests {
    func metric(_ name: String, _ value: Double?) -> Metric {
        Metric(diagnostic: "test", name: name, value: value, unit: "", direction: .neutral)
    }

    /// A 4-chain cell with healthy defaults, `changes` laid over them.
    func health(_ changes: [String: Double?] = [:], chains: Int = 4, diverged: Int = 0) -> CellHealth {
        var values: [String: Double?] = ["rhat-max": 1.002, "bulk-ess-min": 2_000, "tail-ess-min": 1_500, "stuck-chains": 0,
                                         "resets-per-step": 0, "b2": 0.001]
        values.merge(changes) { $1 }
        return CellHealth.assess(status: .ok, chains: chains, divergedChains: diverged, firstDivergenceStep: diverged > 0 ? 17 : nil,
                                 metrics: values.keys.sorted().map { metric($0, values[$0]!) })
    }

    func checks(_ h: CellHealth, _ severity: CellHealth.Verdict) -> Set<String> {
        Set(h.flags.filter { $0.severity == severity }.map(\.check))
    }

    @Test func aHealthyCellIsOk() {
        #expect(health().verdict == .ok)
        #expect(health().flags.isEmpty)
        #expect(health().summary == "ok")
    }

    @Test func rhatWarnsAbove1_01AndFailsAbove1_1AsRunLonger() {
        #expect(health(["rhat-max": 1.01]).verdict == .ok)
        let warn = health(["rhat-max": 1.012])
        #expect(warn.verdict == .warn && checks(warn, .warn) == ["rhat"] && warn.flags[0].kind == .runLonger)
        #expect(warn.flags[0].reason.contains("1.012"))
        #expect(health(["rhat-max": 1.0105]).flags[0].reason == "R̂ 1.0105 > 1.01")
        let fail = health(["rhat-max": 4.58])
        #expect(fail.verdict == .fail && fail.flags[0].kind == .runLonger && fail.summary.hasPrefix("fail: R̂ 4.580"))
    }

    @Test func essPerChainThresholdsScaleWithTheChainsThatDidNotDiverge() {
        // 4 chains: warn below 400, fail below 40; with 2 diverged, below 200 and 20.
        #expect(checks(health(["bulk-ess-min": 399]), .warn) == ["bulk-ess"])
        #expect(health(["bulk-ess-min": 400]).verdict == .ok)
        #expect(checks(health(["tail-ess-min": 39]), .fail) == ["tail-ess"])
        let twoLeft = health(["bulk-ess-min": 250], diverged: 2)
        #expect(checks(twoLeft, .warn) == ["diverged"])
    }

    @Test func stuckChainsResetsAndFarDrawsAreBroken() {
        for (changes, check) in [(["stuck-chains": 4.0], "stuck"), (["resets-per-step": 0.4995], "resets"), (["b2": 5.6e5], "far"),
                                 (["acceptance-mean": 0.05], "acceptance")] as [([String: Double?], String)] {
            let h = health(changes)
            #expect(h.verdict == .fail, "\(check)")
            #expect(h.flags.first { $0.check == check }?.kind == .broken, "\(check)")
        }
        #expect(health(["resets-per-step": 0.008]).verdict == .ok)
        #expect(checks(health(["acceptance-mean": 0.3]), .warn) == ["acceptance"])
    }

    @Test func undefinedRhatOverMovingChainsIsBrokenButNotCountedTwiceForStuckChains() {
        let undefined: Double? = nil
        let constant = health(["rhat-max": undefined, "bulk-ess-min": undefined, "tail-ess-min": undefined])
        #expect(constant.verdict == .fail && constant.flags.map(\.check) == ["rhat"] && constant.flags[0].kind == .broken)
        let stuck = health(["rhat-max": undefined, "stuck-chains": 4])
        #expect(stuck.flags.map(\.check) == ["stuck"])
    }

    @Test func divergenceWarnsForSomeChainsAndFailsForAll() {
        let some = health(diverged: 1)
        #expect(some.verdict == .warn && some.flags[0].kind == .unstable && some.flags[0].reason.contains("first at step 17"))
        let all = health(diverged: 4)
        #expect(all.verdict == .fail && all.flags.count == 1)
    }

    @Test func aFailedCellFailsWithItsMessageAndTheBoundaryIsATuningWarning() {
        let failed = CellHealth.assess(status: .crashed, message: "signal 11", chains: 4, divergedChains: 0, metrics: [])
        #expect(failed.verdict == .fail && failed.summary.contains("signal 11"))
        let boundary = health().adding(.init(check: "boundary", severity: .warn, kind: .tuning, reason: "at the sweep's end"))
        #expect(boundary.verdict == .warn && boundary.flags[0].kind == .tuning)
    }

    @Test func theVerdictIsWrittenAndRecomputedFromTheFlags() throws {
        let h = health(["rhat-max": 1.05])
        let data = try JSONOutput.encoder().encode(h)
        #expect(String(decoding: data, as: UTF8.self).contains("\"verdict\":\"warn\""))
        #expect(try JSONDecoder().decode(CellHealth.self, from: data) == h)
    }
}
