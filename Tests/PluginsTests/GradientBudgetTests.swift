import Testing
@testable import Plugins
import Workbench

/// Equal gradient budgets (`GridSpec.gradientBudget`) and the b²(t) trace the seed-000 report
/// plots.
@Suite struct GradientBudgetTests {
    /// The seed-000 preset: 6 samplers × 4 noise models, each cell's steps set so that a chain
    /// spends 2 000 full-gradient equivalents: n = 256 of N = 10 000 costs 0.0256, the
    /// microcanonical samplers spend two gradients per step, full-batch mclmc 2N. (Computed
    /// from the step rule directly: expanding the preset builds four 10 000-point data sets.)
    @Test func seed000SpendsEqualBudgets() throws {
        let spec = GridPresets.seed000
        #expect(spec.samplers.count == 6 && spec.noise?.count == 4 && spec.gradientBudget == 2_000)
        for id in spec.samplers {
            let plugin = try Registry.builtin.sampler(id)
            let h: Double? = plugin.usesStepSize ? (spec.samplerStepSizes[id] ?? spec.stepSizes)[0] : nil
            for (batch, dataSize) in [(256 as Int?, 10_000), (nil, 10_000), (nil, 1)] {
                let steps = try GridSpec.steps(forBudget: 2_000, plugin: plugin, stepSize: h, hyperparameters: [:],
                                               batchSize: id == "mclmc" ? nil : batch, dataSize: dataSize)
                let perStep: Double
                switch id {
                case "sgld", "sghmc": perStep = Double(batch ?? dataSize) / Double(dataSize)
                default: perStep = 2 * Double(id == "mclmc" ? dataSize : (batch ?? dataSize)) / Double(dataSize)
                }
                #expect(steps == Int((2_000 / perStep).rounded(.down)) || steps == Int((2_000 / perStep).rounded(.down)) - 1,
                        "\(id) n=\(batch.map(String.init) ?? "full") N=\(dataSize): \(steps)")
            }
        }
    }

    /// A cell run on a budget spends it (to within one step), and its result carries b² at
    /// increasing gradient counts, ending at the budget.
    @Test func aBudgetIsSpentAndTraced() throws {
        var spec = GridSpec(samplers: ["sg-mclmc"], targets: ["gaussian-iso"], stepSizes: [0.5],
                            noise: ["isotropic"], chains: 2, steps: 1, gradientBudget: 20)
        spec.maxDrawsPerChain = 1_000
        let (cell, target) = try #require(try spec.cells(registry: .builtin).first)
        let (run, reference) = try CellRunner(registry: .builtin).run(cell, prepared: target)
        let perChain = run.gradientEvaluations / 2
        #expect(perChain <= 20 + 2 * 256.0 / 10_000 && perChain > 20 - 2 * 2 * 256.0 / 10_000)
        let trace = try #require(run.biasTrace(reference: reference))
        #expect(trace.count > 10)
        #expect(zip(trace, trace.dropFirst()).allSatisfy { $0.gradientEvaluations < $1.gradientEvaluations })
        #expect(abs(trace.last!.gradientEvaluations - perChain) < 1e-9)
        #expect(trace.allSatisfy { $0.firstMoment.isFinite && $0.secondMoment.isFinite })
    }

    @Test func aBadBudgetIsAnError() {
        let spec = GridSpec(samplers: ["sgld"], targets: ["std-normal-1d"], stepSizes: [0.1], steps: 10, gradientBudget: -1)
        #expect(throws: WorkbenchError.self) { try spec.cells(registry: .builtin) }
    }
}
