import Foundation
import Testing
@testable import Plotting
import Workbench

/// The SMILE paper's UCI table (`UCIBenchmarkTable`): methods × data sets, mean ± s.e. over
/// the replications, the paper's row, health marks, and no table without `bnn-smile-*` targets.
@Suite struct UCIBenchmarkTableTests {
    @Test func meansStandardErrorsMarksAndThePaperRow() throws {
        var results: [CellResult] = []
        for (seed, lppd) in zip([UInt64(1), 2, 3], [0.1, 0.2, 0.3]) {
            results.append(try ReportFixtures.result("smile", "bnn-smile-energy", h: 0.001, seed: seed,
                                                     metrics: ["lppd": lppd, "rmse-standardised": 0.5, "coverage-90": 0.9, "rhat-max": 1.001,
                                                               "bulk-ess-min": 5_000, "tail-ess-min": 5_000]))
            results.append(try ReportFixtures.result("sghmc", "bnn-smile-airfoil", h: 0.001, seed: seed,
                                                     metrics: ["lppd": -1, "rmse-standardised": 0.7, "rhat-max": 1.5,
                                                               "de-lppd": Double(seed)]))
            // The same ensemble rides along in every sampler's cell at a seed: counted once.
            results.append(try ReportFixtures.result("sgld", "bnn-smile-airfoil", h: 0.001, seed: seed,
                                                     metrics: ["lppd": -2, "de-lppd": Double(seed)]))
        }
        results.append(try ReportFixtures.result("sgld", "gaussian-iso", h: 0.01, seed: 1, metrics: ["b2": 0.1]))
        let table = UCIBenchmarkTable(results: results)
        #expect(table.dataSets == ["energy", "airfoil"] && table.methods == ["smile", "SGHMC (sghmc)", "sgld", UCIBenchmarkTable.ensembleRow])
        #expect(table.cell("lppd", method: UCIBenchmarkTable.ensembleRow, dataSet: "airfoil") == "2.000 ± 0.577 (3)")
        // Mean 0.2, sd 0.1, s.e. 0.1/√3 = 0.058.
        #expect(table.cell("lppd", method: "smile", dataSet: "energy") == "0.200 ± 0.058 (3)")
        #expect(table.cell("lppd", method: "SGHMC (sghmc)", dataSet: "airfoil") == "-1.000 ± 0.000 (3)†")
        #expect(table.cell("lppd", method: "smile", dataSet: "airfoil") == "—")
        #expect(table.coverage(method: "smile", dataSet: "energy") == "— / 0.90 / —")
        let lppd = try #require(table.tables.first).table
        #expect(lppd.rows.last == ["paper, best (method not stated)", "2.018", "0.280"] && lppd.rows.count == 5)
        let spec = GridSpec(stepSizes: [0.001], seeds: [1, 2, 3], chains: 10, steps: 150_000, warmup: 50_000, thin: 10)
        #expect(!table.deviations(spec).contains { $0.hasPrefix("This grid") })
        let markdown = table.markdown(spec: spec).joined(separator: "\n")
        #expect(markdown.contains("| smile | 0.200 ± 0.058 (3) | — |"))
        #expect(!table.pages(spec: spec).isEmpty)
        #expect(UCIBenchmarkTable(results: Array(results.suffix(1))).pages(spec: spec).isEmpty)
    }
}
