import Testing
@testable import Plugins
import Workbench

/// A sampler's predicted stationary law reaches the stored result only where it applies (the
/// 1-D standard normal with full-batch gradients), normalised numerically.
@Suite struct PredictionTests {
    let provenance = Provenance(revision: "", toolchain: "", libraries: [:], host: "", date: "")

    func marginal(_ cell: Cell) throws -> MarginalHistogram? {
        let (run, reference) = try runCell(cell)
        return CellResult(run: run, reference: reference, diagnostics: [], provenance: provenance).marginal
    }

    /// SGLD's N(0, 1/(1 − h/2)) at h = 0.1: the quadrature variance is the closed form, and the
    /// density at the bin centres, times the bin width, sums to the mass within ±6 (1 − 2Φ(−6/√v)).
    @Test func predictionIsStoredAndNormalised() throws {
        let h = 0.1
        let m = try #require(try marginal(Cell(sampler: "sgld", target: "std-normal-1d", stepSize: h, chains: 1, steps: 1_000)))
        let predicted = try #require(m.predictedDensity)
        let v = 1 / (1 - h / 2)
        #expect(abs(try #require(m.predictedVariance) - v) < 1e-9)
        #expect(m.predictedFormula == "N(0, 1/(1 − h/2))")
        let width = m.edges[1] - m.edges[0]
        #expect(abs(predicted.reduce(0, +) * width - 1) < 1e-3)
        #expect(predicted.count == m.density.count)
    }

    @Test func noPredictionWhereItDoesNotApply() throws {
        let minibatch = Cell(sampler: "sgld", target: "std-normal-1d", targetOptions: ["noise": .text("isotropic"), "data-size": .number(100)],
                             stepSize: 1e-4, batchSize: 10, chains: 1, steps: 200)
        #expect(try marginal(minibatch)?.predictedDensity == nil)
        let multivariate = Cell(sampler: "sgld", target: "gaussian-iso", stepSize: 0.1, chains: 1, steps: 200)
        #expect(try marginal(multivariate)?.predictedFormula == nil)
        // A point mass has a formula but no density.
        let asgld = try #require(try marginal(Cell(sampler: "asgld", target: "std-normal-1d", stepSize: 0.1, chains: 1, steps: 200)))
        #expect(asgld.predictedDensity == nil && asgld.predictedFormula != nil)
    }

    /// The Langevin samplers' declared laws, normalised by quadrature, have the variances the
    /// table at the end of SAMPLERS.md gives (at the plugins' defaults and h = 1e−4).
    @Test func declaredLawsHaveTheTableVariances() throws {
        let expected: [String: Double] = [
            "sgld": 1 / (1 - 0.5e-4), "sgld-cv": 1 / (1 - 0.5e-4), "psgld-gamma": 1, "sgrld-monge-gamma": 1,
            "psgld": (1e-5 + 2 * (2 / Double.pi).squareRoot()) / (1e-5 + (2 / Double.pi).squareRoot()),
            "adam-sgld": 0.474864724, "sgrld-monge": 2, "cyclical-sgld": 1, "exact": 1,
            "fsgld": (2 + 1e-4 * 1e-4) / (2 - 1e-4),
        ]
        for (id, truth) in expected.sorted(by: { $0.key < $1.key }) {
            let plugin = try Registry.builtin.sampler(id)
            let parameters = try ResolvedParameters([:], specs: plugin.hyperparameters, owner: plugin.id)
            let law = try #require(plugin.standardNormalPrediction(stepSize: 1e-4, parameters: parameters), "\(plugin.id) declares no law")
            let variance = try #require(law.normalized()?.variance)
            #expect(abs(variance - truth) < 1e-6, "\(plugin.id): \(variance) vs \(truth)")
        }
    }
}
