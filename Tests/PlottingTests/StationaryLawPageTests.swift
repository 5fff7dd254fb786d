import Foundation
import Testing
@testable import Plotting
import Workbench

/// The seed-001 page: runs that carry a predicted stationary law get a panel with the draws,
/// the exact density and the predicted density, and leave the plain marginal page.
@Suite struct StationaryLawPageTests {
    /// A 1-D result with draws ~ N(0, 1) (a deterministic grid of quantile-spaced points) and,
    /// when `predicted`, the prediction ∝ (0.1 + |θ|) e^(−θ²/2).
    /// The cell has seed-001's settings (h = 1e−4, one chain of 10⁷ steps, a tenth warm-up),
    /// where the law applies (`StationaryPredictionScope`), unless others are given.
    func result(sampler: String, predicted: Bool, stepSize: Double = 1e-4, steps: Int = 10_000_000) -> CellResult {
        let cell = Cell(sampler: sampler, target: "std-normal-1d", stepSize: stepSize, chains: 1, steps: steps, warmup: steps / 10)
        var chain = ChainRecord(dimension: 1, thin: 1, maxDraws: 1_000, histogram: StreamingHistogram(lower: -6, binWidth: 0.1, bins: 120))
        for k in 0..<1_000 { chain.record([2 * sin(Double(k))]) }
        let parameters = try! ResolvedParameters([:], specs: [], owner: "test")
        let law = StationaryPrediction(formula: "∝ (0.1 + |θ|) e^(−θ²/2)") { (0.1 + abs($0)) * exp(-0.5 * $0 * $0) }
        let run = RunRecord(cell: cell, hyperparameters: parameters, targetOptions: parameters, dimension: 1, dataSize: 1,
                            parameterNames: ["x[1]"], chains: [chain], perDatumGradientEvaluations: 1_000,
                            potentialEvaluations: 0, wallSeconds: 0, stationaryPrediction: predicted ? law : nil)
        let reference = Reference(kind: .exact, mean: [0], variance: [1], secondMoment: [1], secondMomentVariance: [2],
                                  marginals: [Marginal(density: { exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot() }, cdf: { _ in 0 })])
        return CellResult(run: run, reference: reference, diagnostics: [],
                          provenance: Provenance(revision: "", toolchain: "", libraries: [:], host: "", date: ""))
    }

    @Test func predictedRunsGetTheStationaryPageAndLeaveTheMarginalPage() throws {
        let results = [result(sampler: "psgld", predicted: true), result(sampler: "psgld-gamma", predicted: true),
                       result(sampler: "other", predicted: false)]
        let groups = SeedGroup.grouping(results)
        let pages = ReportPages.stationaryLaws(groups)
        #expect(pages.map(\.stem) == ["stationary-std-normal-1d", "stationary-laws-std-normal-1d"])
        let figure = pages[0]
        #expect(figure.panels.count == 3)  // two samplers and the key
        for panel in figure.panels.prefix(2) {
            #expect(panel.series.map(\.label) == ["draws", "exact", "predicted"])
            #expect(panel.x.label.hasPrefix("Var "))
        }
        guard case .text(let lines) = pages[1].panels[0].content else {
            Issue.record("the laws page is not text")
            return
        }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("∝ (0.1 + |θ|) e^(−θ²/2)") && text.contains("psgld-gamma"))
        // The plain marginal page keeps only the configuration without a prediction.
        let marginals = ReportPages.marginals(groups)
        #expect(marginals.count == 1 && marginals[0].panels.count == 1 && marginals[0].panels[0].title == "other h=1.000e-04")
    }

    /// Many configurations (a grid over step sizes) are spread over pages of at most 11 panels
    /// and the key, one step size per page, so no page is too crowded to draw.
    @Test func largeGridsSpreadOverPages() throws {
        var results: [CellResult] = []
        for h in [0.0005, 0.001] {
            for k in 0..<13 {
                var r = result(sampler: "s\(k)", predicted: true)
                r = try JSONDecoder().decode(CellResult.self, from: try JSONSerialization.data(withJSONObject: {
                    var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(r)) as! [String: Any]
                    object["stepSize"] = h
                    object["key"] = "s\(k)|\(h)"
                    return object
                }()))
                results.append(r)
            }
        }
        let pages = ReportPages.stationaryLaws(SeedGroup.grouping(results))
        // Per step size 13 panels → pages of 11 and 2; then the laws page.
        #expect(pages.map(\.panels.count) == [12, 3, 12, 3, 1])
        #expect(Set(pages.map(\.stem)).count == pages.count)
        #expect(pages[0].title.contains("h = 5.000e-04") && pages[2].title.contains("h = 0.001"))
    }

    /// The law is drawn only where its assumptions hold: at seed-001's settings it is; at the
    /// quick grid's tuned h = 0.5, or in a run of 10⁴ steps at h = 1e−4 (1 time unit), the
    /// configuration goes to the plain marginal page with a note saying why no law is drawn;
    /// the stationary page states the assumptions.
    @Test func lawsAreDrawnOnlyWhereTheirAssumptionsHold() throws {
        #expect(StationaryPredictionScope.whyNot(stepSize: 1e-4, batchSize: .full, chains: 1, steps: 10_000_000, warmup: 1_000_000) == nil)
        #expect(StationaryPredictionScope.whyNot(stepSize: 1e-4, batchSize: .size(10), chains: 1, steps: 10_000_000, warmup: 0) != nil)
        let results = [result(sampler: "psgld", predicted: true),
                       result(sampler: "sgrld-monge", predicted: true, stepSize: 0.5, steps: 50_000),
                       result(sampler: "adam-sgld", predicted: true, steps: 10_000)]
        let groups = SeedGroup.grouping(results)
        #expect(groups.map(ReportPages.hasPrediction) == [true, false, false])
        let laws = ReportPages.stationaryLaws(groups)
        guard case .text(let key)? = laws.first?.panels.last?.content else {
            Issue.record("no key on the stationary page")
            return
        }
        let text = key.joined(separator: " ")
        #expect(text.contains("full batch, h ≤ 0.001,") && text.contains("≥ 200 time units (here ≥ 900)"))
        let marginals = ReportPages.marginals(groups)
        let titles = marginals.flatMap(\.panels).map(\.title)
        #expect(titles.count == 2)
        #expect(titles[0].hasPrefix("sgrld-monge h=0.5 — no predicted law: h = 0.5 > 0.001"))
        #expect(titles[1].contains("no predicted law:") && titles[1].contains("time units < 200"))
        #expect(marginals.flatMap(\.panels).allSatisfy { !$0.series.map(\.label).contains("predicted") })
    }

    /// The predicted curve is the normalised law at the bin centres (the integral over ±6 of
    /// ∝ (0.1 + |θ|) e^(−θ²/2) is 1 to 1e−7), so it integrates with the bin width to ≈ 1.
    @Test func predictedCurveIsNormalised() throws {
        let m = try #require(result(sampler: "psgld", predicted: true).marginal)
        let curve = try #require(m.predictedDensity)
        #expect(abs(curve.reduce(0, +) * 0.1 - 1) < 1e-3)
        #expect(try #require(m.predictedVariance) > 1.8)
    }

    /// The page renders (PLplot, cairo) to a PNG that is not blank.
    @Test func pageRenders() throws {
        let pages = ReportPages.stationaryLaws(SeedGroup.grouping([result(sampler: "psgld", predicted: true)]))
        let folder = try TestSupport.temporaryDirectory()
        let files = try PlotRenderer().renderPNGs(pages, into: folder).files
        #expect(files.count == 2)
        for file in files { #expect(try TestSupport.isPNG(file) && TestSupport.fileSize(file) > 5_000) }
    }
}
