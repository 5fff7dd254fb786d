import Foundation
import Workbench

/// Section (a): the cost of a sampler step as `bench run` pays it — one chain through
/// `CellRunner` (sampler, counting oracle, recording of moments, thinned draws, histogram and
/// checkpoints), wall time of the chain divided by its steps; building the target and the
/// diagnostics are outside the timing.
enum StepCost {
    /// The steps of the 1-D run (10⁷, as in the seed experiments).
    static let oneDimensionalSteps = 10_000_000
    /// The steps of each sampler's run on gaussian-iso (d = 100).
    static let perSamplerSteps = 20_000
    /// The step size of the gaussian-iso runs.
    static let isoStepSize = 0.01

    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let runner = CellRunner(registry: settings.registry)
        var rows: [PerfRow] = []
        let steps1D = settings.scaled(oneDimensionalSteps, floor: 1000)
        let sgld = Cell(sampler: "sgld", target: "std-normal-1d", stepSize: 1e-4, chains: 1, steps: steps1D)
        let summary = try PerfSummary.repeating(settings.repetitions) {
            try runner.run(sgld).0.wallSeconds / Double(steps1D)
        }
        rows.append(PerfRow(
            section: "steps", key: "sgld/std-normal-1d", label: "sgld on std-normal-1d, full batch, h = 1e-4, \(steps1D) steps, 1 chain",
            unit: "ns/step", summary: summary.scaled(by: 1e9),
            goal: .atMost(13, "10× fewer than BlackJAX's 130 ns"), detail: nil,
            command: "bench run --sampler sgld --target std-normal-1d --steps \(steps1D) --step-size 1e-4 --chains 1  (\(settings.command(.steps)))"))

        let steps = settings.scaled(perSamplerSteps, floor: 100)
        let target = try runner.makeTarget(Cell(sampler: "sgld", target: "gaussian-iso", stepSize: isoStepSize, steps: 1))
        // Samplers that need gradient noise (SMILE) are declined at full batch: they run on
        // the same target with the isotropic noise model and minibatches of 256.
        let noisyOptions: [String: ParameterValue] = ["noise": .text("isotropic")]
        let noisy = try runner.makeTarget(Cell(sampler: "sgld", target: "gaussian-iso", targetOptions: noisyOptions,
                                               stepSize: isoStepSize, batchSize: .size(256), steps: 1))
        for plugin in settings.registry.samplers where plugin.incompatibility(with: target.0) == nil {
            let needsNoise = plugin.incompatibility(with: target.0, batchSize: .full) != nil
            let (built, options, batch): ((any Target, ResolvedParameters), [String: ParameterValue], BatchSize) =
                needsNoise ? (noisy, noisyOptions, .size(256)) : (target, [:], .full)
            // Samplers that adapt h start from their own default, as in a grid.
            let h: Double?
            switch plugin.stepSizePolicy {
            case .none: h = nil
            case .fixed: h = isoStepSize
            case .adaptiveInitial(let d): h = d.value(for: built.0)
            }
            let cell = Cell(sampler: plugin.id, target: "gaussian-iso", targetOptions: options, stepSize: h,
                            batchSize: batch, chains: 1, steps: steps)
            let summary = try PerfSummary.repeating(settings.repetitions) {
                try runner.run(cell, prepared: built).0.wallSeconds / Double(steps)
            }
            let condition = needsNoise ? ", noise=isotropic, n = 256" : ""
            rows.append(PerfRow(
                section: "steps", key: "\(plugin.id)/gaussian-iso", label: "\(plugin.id) on gaussian-iso (d = 100\(condition)), h = \(h.map { formatNumber($0) } ?? "none")\(plugin.stepSizePolicy.adapts ? " (initial)" : ""), \(steps) steps",
                unit: "µs/step", summary: summary.scaled(by: 1e6), goal: nil, detail: nil, command: settings.command(.steps)))
        }
        return rows
    }
}
