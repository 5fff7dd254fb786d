import Foundation
import Plugins
import Workbench

/// Section (b): the BNN gradients against the hardware. dgemm's rate on n × n matrices
/// (n = 2048) with every core is the peak; each BNN target's minibatch gradient (default
/// options and batch, OpenBLAS on one thread as in a grid, where chains run in parallel) is
/// timed through the counting oracle; the yacht-sized MLP (two hidden layers of 50) is timed
/// as a whole SGLD step through `CellRunner`; and the wide MLP (64 inputs, 2 × 512 tanh,
/// batch 256, synthetic data, the same MLP code) is timed with OpenBLAS on every core. GFLOP/s
/// count the matrix products only (`ModelBenchmarks.gradientFLOPs`).
enum ModelCost {
    static let dgemmSize = 2048
    static let bnnTargets = ["bnn-uci-yacht", "bnn-uci-energy", "bnn-uci-concrete",
                             "bnn-smile-airfoil", "bnn-smile-energy", "bnn-smile-bikesharing"]
    static let yachtSteps = 20_000

    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var rows: [PerfRow] = []
        let command = settings.command(.bnn)

        // The peak: dgemm with every core.
        let n = settings.scale < 1 ? 512 : dgemmSize
        ModelBenchmarks.setBLASThreads(cores)
        let flops = 2 * pow(Double(n), 3)
        let peak = PerfSummary(ModelBenchmarks.timeDGEMM(size: n, repetitions: settings.repetitions).map { flops / $0 * 1e-9 })
        rows.append(PerfRow(section: "bnn", key: "dgemm", label: "OpenBLAS dgemm \(n)×\(n), \(cores) threads (the peak)",
                            unit: "GFLOP/s", summary: peak, goal: nil, detail: nil, command: command))

        // Each BNN target at its defaults, one BLAS thread.
        ModelBenchmarks.setBLASThreads(1)
        for id in bnnTargets {
            let target = try settings.registry.target(id).make(options: [:]).0
            let (time, batch) = gradientTime(target, batch: target.defaultBatchSize, settings)
            let gflops = ModelBenchmarks.gradientFLOPs(of: target, rows: batch).map { $0 / time.median * 1e-9 }
            rows.append(PerfRow(
                section: "bnn", key: "\(id)/gradient", label: "\(id) minibatch gradient (defaults: \(id.hasPrefix("bnn-smile") ? "16-16-16 relu" : "1 × 50 tanh"), batch \(batch), 1 thread)",
                unit: "µs/gradient", summary: time.scaled(by: 1e6), goal: nil,
                detail: gflops.map { String(format: "%.2f GFLOP/s", $0) }, command: command))
        }

        // The yacht-sized MLP: two hidden layers of 50 tanh, batch 32.
        let yacht = try settings.registry.target("bnn-uci-yacht").make(options: ["depth": .number(2)])
        let (gradient, batch) = gradientTime(yacht.0, batch: 32, settings)
        let yachtFlops = ModelBenchmarks.gradientFLOPs(of: yacht.0, rows: batch)! / gradient.median * 1e-9
        rows.append(PerfRow(
            section: "bnn", key: "yacht-2x50/gradient", label: "yacht-sized MLP (2 × 50 tanh) minibatch gradient, batch 32, 1 thread",
            unit: "µs/gradient", summary: gradient.scaled(by: 1e6), goal: nil,
            detail: String(format: "%.2f GFLOP/s", yachtFlops), command: command))
        let steps = settings.scaled(yachtSteps, floor: 100)
        let cell = Cell(sampler: "sgld", target: "bnn-uci-yacht", targetOptions: ["depth": .number(2)],
                        stepSize: 1e-5, batchSize: 32, chains: 1, steps: steps)
        let runner = CellRunner(registry: settings.registry)
        let step = try PerfSummary.repeating(settings.repetitions) {
            let run = try runner.run(cell, prepared: yacht).0
            return run.wallSeconds / Double(max(1, run.chains[0].steps))
        }
        rows.append(PerfRow(
            section: "bnn", key: "sgld/yacht-2x50", label: "sgld step on the yacht-sized MLP (2 × 50 tanh, batch 32, h = 1e-5, \(steps) steps)",
            unit: "µs/step", summary: step.scaled(by: 1e6), goal: .atMost(32, "10× faster than BlackJAX's 320 µs"), detail: nil,
            command: "bench run --sampler sgld --target bnn-uci-yacht --target-param depth=2 --batch-size 32 --step-size 1e-5 --steps \(steps) --chains 1  (\(command))"))

        // The wide MLP with every core.
        let wide = ModelBenchmarks.syntheticRegression(inputs: 64, rows: 4096, width: 512, depth: 2)
        ModelBenchmarks.setBLASThreads(cores)
        defer { ModelBenchmarks.setBLASThreads(1) }
        let (wideTime, wideBatch) = gradientTime(wide, batch: 256, settings, calls: 40)
        let wideFlops = ModelBenchmarks.gradientFLOPs(of: wide, rows: wideBatch)!
        let rate = PerfSummary(wideTime.values.map { wideFlops / $0 * 1e-9 })
        rows.append(PerfRow(
            section: "bnn", key: "wide-mlp/gradient", label: "wide MLP (64 → 2 × 512 tanh → 1) minibatch gradient, batch 256, \(cores) threads",
            unit: "µs/gradient", summary: wideTime.scaled(by: 1e6), goal: nil,
            detail: String(format: "%.1f MFLOP per gradient", wideFlops * 1e-6), command: command))
        rows.append(PerfRow(
            section: "bnn", key: "wide-mlp/gflops", label: "wide MLP gradient rate (matrix products), \(cores) threads",
            unit: "GFLOP/s", summary: rate, goal: .atLeast(0.5 * peak.median, "50 % of the dgemm peak above"),
            detail: String(format: "%.0f %% of peak", 100 * rate.median / peak.median), command: command))
        return rows
    }

    /// Seconds per minibatch gradient of `target` through the counting oracle (`calls` per
    /// repetition, scaled, after as many untimed ones), and the batch size used.
    static func gradientTime(_ target: any Target, batch: BatchSize, _ settings: PerfSettings, calls: Int = 2000) -> (PerfSummary, Int) {
        var oracle = GradientOracle(target: target, batchSize: batch, rng: Xoshiro256StarStar(seed: 1))
        var rng = Xoshiro256StarStar(seed: 2)
        let x = target.initialPoint(rng: &rng)
        var g = [Double](repeating: 0, count: target.dimension)
        let count = settings.scaled(calls, floor: 5)
        for _ in 0..<count { oracle.stochasticGradient(at: x, into: &g) }
        let summary = PerfSummary.repeating(settings.repetitions) {
            wallSeconds { for _ in 0..<count { oracle.stochasticGradient(at: x, into: &g) } } / Double(count)
        }
        return (summary, oracle.batchSize)
    }
}
