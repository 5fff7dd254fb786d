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
            for (batch, dataSize) in [(256 as Int?, 10_000), (nil, 10_000), (nil, 1)] {
                let steps = try GridSpec.steps(forBudget: 2_000, plugin: plugin, hyperparameters: [:],
                                               batchSize: id == "mclmc" ? .full : batch.map(BatchSize.size) ?? .full, dataSize: dataSize,
                                               target: TargetCapabilities(analyticHessian: true))
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

    /// The budget counts what the oracle charges: second-order queries cost n in closed form
    /// but 2n per finite-difference product or Hutchinson probe on targets without closed-form
    /// Hessians (funnel, banana), and set-ups (sgld-cv's SGD and full gradient) count too. Each
    /// chain spends the budget to within one step, and --dry-run's plan equals the spend. (Before,
    /// psgld-gamma on funnel ran 1 500 steps of a 3 000 budget and spent 4 500.)
    @Test func aBudgetIsSpentWhateverTheTargetsSecondDerivatives() throws {
        let spec = GridSpec(samplers: ["psgld-gamma", "sgrld-monge-gamma", "sgld-cv", "sgld"],
                            targets: ["funnel", "banana", "gaussian-iso"], stepSizes: [1e-3], seeds: [1], chains: 1,
                            steps: 1, maxDrawsPerChain: 100, diagnostics: ["moments"], gradientBudget: 3_000)
        for (cell, target) in try spec.cells(registry: .builtin) {
            let (run, _) = try CellRunner(registry: .builtin).run(cell, prepared: target)
            let n = target.0.dataSize
            let cost = try Registry.builtin.sampler(cell.sampler).chainCost(
                parameters: cell.hyperparameters, batchSize: cell.batchSize.count(dataSize: n), dataSize: n,
                target: TargetCapabilities(of: target.0))
            let spent = run.gradientEvaluations, step = Double(cost.perStep) / Double(n)
            #expect(spent <= 3_000 && spent > 3_000 - step, "\(cell.key): spent \(spent) of 3 000 (a step costs \(step))")
            let planned = try GridSpec.plannedGradientEvaluations(of: cell, target: target.0, registry: .builtin)
            #expect(planned == spent, "\(cell.key): --dry-run plans \(planned), the chain spent \(spent)")
        }
    }

    @Test func aBadBudgetIsAnError() {
        let spec = GridSpec(samplers: ["sgld"], targets: ["std-normal-1d"], stepSizes: [0.1], steps: 10, gradientBudget: -1)
        #expect(throws: WorkbenchError.self) { try spec.cells(registry: .builtin) }
    }
}
