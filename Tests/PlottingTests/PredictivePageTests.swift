import Foundation
import Testing
@testable import Plotting
import Workbench

/// BNN targets get a page of predictive metrics and predictive columns in their summary
/// table; targets without predictions get neither.
@Suite struct PredictivePageTests {
    func result(_ sampler: String, _ target: String, h: Double?, seed: UInt64, metrics: [String: Double]) throws -> CellResult {
        try ReportFixtures.result(sampler, target, h: h, seed: seed, metrics: metrics)
    }

    @Test func regressionTargetGetsAPanelPerDefinedMetric() throws {
        var results: [CellResult] = []
        for seed: UInt64 in [1, 2] {
            for h in [0.01, 0.1] {
                results.append(try result("sgld", "bnn-uci-yacht", h: h, seed: seed,
                                          metrics: ["rmse": 0.3 + h + Double(seed) / 100, "test-log-likelihood": -1 - h,
                                                   "lppd": 1.5 - h, "coverage-80": 0.7, "coverage-95": 0.9]))
            }
            results.append(try result("exact", "gaussian-iso", h: nil, seed: seed, metrics: ["b2": 0.01]))
        }
        let pages = ReportPages.predictive(SeedGroup.grouping(results))
        #expect(pages.map(\.stem) == ["predictive-bnn-uci-yacht"])
        let panels = try #require(pages.first).panels
        // The SMILE paper's metrics: LPPD and the 95 % coverage get panels, the 80 % coverage does not.
        #expect(panels.map(\.title) == ["rmse", "test-log-likelihood", "lppd", "coverage-95"])
        guard case .bars(let chart)? = panels[0].series.first?.kind else {
            Issue.record("the rmse panel has no bars")
            return
        }
        let (categories, groups) = (chart.categories, chart.groups)
        #expect(categories == ["0.01", "0.1"])
        #expect(groups.count == 1 && groups[0].label == "sgld")
        // Seed mean and min–max: rmse at h = 0.01 is 0.32 and 0.33 over the two seeds.
        #expect(abs(groups[0].values[0] - 0.325) < 1e-12)
        #expect(abs(groups[0].yLow![0] - 0.32) < 1e-12 && abs(groups[0].yHigh![0] - 0.33) < 1e-12)

        let tables = SummaryTables(results: results).tables
        let yacht = try #require(tables.first { $0.target == "bnn-uci-yacht" })
        #expect(yacht.headings.contains("rmse") && yacht.headings.contains("test-log-likelihood"))
        #expect(!yacht.headings.contains("accuracy"))
        #expect(yacht.headings.contains("lppd") && yacht.headings.contains("coverage-95") && !yacht.headings.contains("coverage-80"))
        let gaussian = try #require(tables.first { $0.target == "gaussian-iso" })
        #expect(!gaussian.headings.contains("rmse"))
    }
}
