import Workbench

/// The settings of the stationarity check: a sampler that is consistent as h → 0 must, at a
/// small step, give every coordinate's mean within 4 Monte Carlo standard errors of the
/// reference, and the average standardised square (1/d) Σ (x_i − μ_i)²/σ_i² within 4 standard
/// errors of 1 — with those standard errors small enough (`resolution`) to mean something. The
/// standard errors come from the chains' effective sample sizes (split-chain ESS of x_i, and of
/// the per-draw average, which accounts for coupling between coordinates). The step must be
/// small enough that the sampler's O(h) bias is a fraction of them.
public struct Stationarity: Sendable {
    public var stepSize: Double?
    public var parameters: [String: ParameterValue]
    public var steps: Int
    public var chains: Int
    public var seed: UInt64
    /// A target with an exact reference (default: the kit's own Gaussian).
    public var target: TargetPlugin
    public var targetOptions: [String: ParameterValue]
    /// Minibatch size (default: full batch, so only the discretisation is tested).
    public var batchSize: BatchSize
    /// The largest acceptable standard error of the average standardised square: 0.05
    /// resolves a 20 % variance bias at 4 standard errors.
    public var resolution: Double

    public init(stepSize: Double?, parameters: [String: ParameterValue] = [:], steps: Int, chains: Int = 4,
                seed: UInt64 = 11, target: TargetPlugin = ConformanceGaussian.plugin,
                targetOptions: [String: ParameterValue] = [:], batchSize: BatchSize = .full, resolution: Double = 0.05) {
        self.stepSize = stepSize
        self.parameters = parameters
        self.steps = steps
        self.chains = chains
        self.seed = seed
        self.target = target
        self.targetOptions = targetOptions
        self.batchSize = batchSize
        self.resolution = resolution
    }
}

enum StationarityCheck {
    static func run(_ plugin: SamplerPlugin, _ setting: Stationarity, _ failures: inout FailureList) {
        // A sampler that adapts its step size starts from its default unless one is given.
        var h = plugin.stepSizePolicy.usesStepSize ? setting.stepSize : nil
        if h == nil, plugin.stepSizePolicy.adapts, let d = plugin.stepSizePolicy.stepSizeDefault,
           let target = try? setting.target.make(options: setting.targetOptions).0 {
            h = d.value(for: target)
        }
        let cell = Cell(sampler: plugin.id, target: setting.target.id, hyperparameters: setting.parameters,
                        targetOptions: setting.targetOptions, stepSize: h,
                        batchSize: setting.batchSize, seed: setting.seed, chains: setting.chains, steps: setting.steps,
                        maxDrawsPerChain: setting.steps)
        let on = "on \(setting.target.id) at h = \(h.map { "\($0)" } ?? "-")"
        let run: RunRecord, reference: Reference
        do {
            let registry = try Registry(samplers: [plugin], targets: [setting.target])
            (run, reference) = try CellRunner(registry: registry).run(cell)
        } catch {
            failures.fail(.stationarity, "\(on): the run failed: \(error)")
            return
        }
        guard !run.diverged else {
            failures.fail(.stationarity, "\(on): a chain diverged")
            return
        }
        let d = run.dimension
        let chains = run.chains
        let moments = run.pooledMoments
        func meanAndError(_ f: ([Double]) -> Double) -> (Double, Double)? {
            let series: [[Double]] = chains.map { chain in
                (0..<chain.drawCount).map { k in f(Array(chain.draws[(k * d)..<((k + 1) * d)])) }
            }
            guard let ess = try? ConvergenceStatistics.meanESS(series), ess > 0 else { return nil }
            let all = series.flatMap { $0 }
            let mean = all.reduce(0, +) / Double(all.count)
            let variance = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)
            return (mean, (variance / ess).squareRoot())
        }
        for i in 0..<d {
            guard let (_, se) = meanAndError({ $0[i] }) else {
                failures.fail(.stationarity, "\(on): no effective sample size for x[\(i + 1)]")
                return
            }
            let error = moments.mean[i] - reference.mean[i]
            if !(abs(error) < 4 * se) {
                failures.fail(.stationarity, "\(on): the mean of x[\(i + 1)] is \(moments.mean[i]), the target's \(reference.mean[i]) (Monte Carlo se \(se))")
            }
        }
        let standardisedSquare = { (x: [Double]) -> Double in
            var s = 0.0
            for i in 0..<d {
                let z = x[i] - reference.mean[i]
                s += z * z / reference.variance[i]
            }
            return s / Double(d)
        }
        guard let (ratio, se) = meanAndError(standardisedSquare) else {
            failures.fail(.stationarity, "\(on): no effective sample size for the standardised square")
            return
        }
        failures.expect(se < setting.resolution, .stationarity,
                        "\(on): the check cannot resolve a variance bias: se \(se) ≥ \(setting.resolution); run more steps")
        failures.expect(abs(ratio - 1) < 4 * se, .stationarity,
                        "\(on): the variance relative to the target's is \(ratio) on average over coordinates (Monte Carlo se \(se))")
    }
}
