import Foundation
import Workbench

/// A Bayesian MLP regression on a standardised train split (the `bnn-uci-*` and `bnn-smile-*`
/// targets).
///
/// Model: f(x; w) an MLP (`MLP`), prior w ~ N(0, σ_p² I), likelihood y_i ~ N(f(x_i; w), σ²) on
/// the standardised target. With learned noise the sampling scale appends s = log σ; the model
/// scale reports σ (`ModelScale`). Its prior (`Noise`) is either σ ~ half-normal(0, S) with the
/// Jacobian of s = log σ (`bnn-uci-*`):
///
/// U(w, s) = ‖w‖²/(2σ_p²) + σ²/(2S²) − s + Σ_i [ s + (y_i − f_i)²/(2σ²) ],
/// ∂U/∂s = σ²/S² − 1 + Σ_i (1 − (y_i − f_i)²/σ²);
///
/// or s ~ N(0, S²) on s itself, no Jacobian (the SMILE code's N(0, 1) on every sampled
/// parameter, log σ included; `bnn-smile-*`):
///
/// U(w, s) = ‖w‖²/(2σ_p²) + s²/(2S²) + Σ_i [ s + (y_i − f_i)²/(2σ²) ],
/// ∂U/∂s = s/S² + Σ_i (1 − (y_i − f_i)²/σ²).
///
/// In both, ∂U/∂F_i = −(y_i − f_i)/σ² is back-propagated through the network (`MLP.backward`),
/// and a minibatch B scales Σ_{i∈B} by N/|B|.
///
/// Gradients run over BLAS on a workspace borrowed from a `WorkspacePool` (one per
/// concurrent call, sized for the whole train split): no allocation per step, and chains
/// sharing the target never share scratch memory.
public struct BNNRegression: ModelScaleTarget, MLPLikelihood {
    public let id: String
    let mlp: MLP
    let data: StandardisedSplit
    let priorScale: Double
    let noise: Noise
    let learnedNoise: Bool
    let fixedSD: Double
    let noisePriorScale: Double
    let defaultBatch: BatchSize
    /// Whether `potential` sums the squared residuals with Neumaier's compensation (`bnn-smile-*`).
    /// A plain sum over N rows carries rounding of order √N ulp of U, and on bike sharing's
    /// 12 165 rows that exceeds what a finite-difference check (and an accept/reject step)
    /// can take; `bnn-uci-*` keep the plain sum, bit for bit as their recorded results.
    let compensatedSums: Bool
    let sharedStart: [Double]?
    let pool: WorkspacePool<MLP.Workspace>
    public internal(set) var reference: Reference
    /// Predictive draws f(x_j) of the cached reference (at most 2 000 draws × test points).
    public internal(set) var referencePredictive: ReferencePredictive?

    public var dimension: Int { mlp.parameterCount + (learnedNoise ? 1 : 0) }
    /// σ/√N (σ = 0.1 when learned): the posterior scale of an output weight whose hidden unit
    /// is O(1) over N data, the narrowest direction a sweep must resolve. Declared rather than
    /// read off a cached reference, so a grid's sweep does not depend on what is cached.
    public var lengthScale: Double { (learnedNoise ? 0.1 : fixedSD) / Double(dataSize).squareRoot() }
    public var defaultBatchSize: BatchSize { defaultBatch }
    public var parameterNames: [String] { mlp.parameterNames + (learnedNoise ? ["log_sigma"] : []) }
    /// σ_p for every weight and bias, and with learned noise the half-normal scale of σ (the
    /// recorded coordinate): what bounds a chain before it is called diverged.
    public var priorScales: [Double]? {
        [Double](repeating: priorScale, count: mlp.parameterCount) + (learnedNoise ? [noisePriorScale] : [])
    }

    public var modelScale: ModelScale {
        let names = mlp.parameterNames + (learnedNoise ? ["sigma"] : [])
        return .logScaled(names: names, logCoordinates: learnedNoise ? [mlp.parameterCount] : [])
    }

    /// The observation noise: fixed σ, or s = log σ sampled under one of two priors.
    enum Noise: Sendable, Equatable {
        /// σ fixed at this value (standardised scale).
        case fixed(Double)
        /// s = log σ sampled, σ ~ half-normal(0, S) with the Jacobian of s.
        case halfNormal(Double)
        /// s = log σ sampled, s ~ N(0, S²) on s itself (the SMILE code's prior).
        case normalLog(Double)
    }

    /// The `bnn-uci-*` targets: noise from the options, default batch 32.
    init(id: String, data: StandardisedSplit, options: BNNUCIRegressionOptions) {
        self.init(id: id, data: data, network: options.bnn.network, start: options.bnn.start,
                  noise: options.observationNoise, defaultBatch: 32)
    }

    init(id: String, data: StandardisedSplit, network: BNNNetworkOptions, start: BNNStartOptions, noise: Noise,
         defaultBatch: BatchSize, compensatedSums: Bool = false) {
        self.compensatedSums = compensatedSums
        _ = MLP.singleThreadedBLAS
        self.id = id
        self.data = data
        let mlp = network.mlp(inputs: data.featureCount, outputs: 1)
        self.mlp = mlp
        priorScale = network.priorScale
        self.noise = noise
        self.defaultBatch = defaultBatch
        switch noise {
        case .fixed(let sd): (learnedNoise, fixedSD, noisePriorScale) = (false, sd, 1)
        case .halfNormal(let scale), .normalLog(let scale): (learnedNoise, fixedSD, noisePriorScale) = (true, 0.5, scale)
        }
        let logSigmaStart: [Double] = learnedNoise ? [0] : []
        sharedStart = start.sharedWeights(of: mlp, targetID: id).map { $0 + logSigmaStart }
        let rows = max(data.trainCount, data.testCount, data.validCount)
        pool = WorkspacePool { MLP.Workspace(mlp: mlp, rows: rows) }
        reference = .unavailable(dimension: mlp.parameterCount + (learnedNoise ? 1 : 0))
    }

    public func potential(at theta: [Double]) -> Double {
        pool.withWorkspace { ws in
            theta.withUnsafeBufferPointer { t in
                let n = data.trainCount
                gatherAll(ws)
                mlp.forward(t, rows: n, ws)
                let s = learnedNoise ? t[mlp.parameterCount] : log(fixedSD)
                let sd = exp(s)
                var u = mlp.priorPotential(t, priorScale: priorScale)
                switch noise {
                case .fixed: break
                case .halfNormal(let scale): u += sd * sd / (2 * scale * scale) - s
                case .normalLog(let scale): u += s * s / (2 * scale * scale)
                }
                let out = ws.activations[mlp.layerCount]
                var sse = 0.0
                if compensatedSums {
                    var compensation = 0.0
                    for i in 0..<n {
                        let r = data.trainY[i] - out[i], term = r * r
                        let sum = sse + term
                        compensation += abs(sse) >= term ? (sse - sum) + term : (term - sum) + sse
                        sse = sum
                    }
                    sse += compensation
                } else {
                    for i in 0..<n {
                        let r = data.trainY[i] - out[i]
                        sse += r * r
                    }
                }
                return u + sse / (2 * sd * sd) + (learnedNoise ? Double(n) * s : 0)
            }
        }
    }

    func accumulateGradient(at theta: [Double], rows m: Int, weight: Double, _ ws: MLP.Workspace, into gradient: inout [Double]) {
        theta.withUnsafeBufferPointer { t in
            gradient.withUnsafeMutableBufferPointer { g in
                mlp.forward(t, rows: m, ws)
                mlp.writePriorGradient(t, priorScale: priorScale, into: g)
                let s = learnedNoise ? t[mlp.parameterCount] : log(fixedSD)
                let precision = exp(-2 * s)
                var noiseGradient = 0.0
                ws.activations[mlp.layerCount].withUnsafeBufferPointer { f in
                    ws.delta.withUnsafeMutableBufferPointer { delta in
                        for i in 0..<m {
                            let r = ws.rowScratch[i] - f[i]
                            delta[i] = -weight * r * precision
                            noiseGradient += 1 - r * r * precision
                        }
                    }
                }
                mlp.backward(t, rows: m, ws, into: g)
                switch noise {
                case .fixed: break
                case .halfNormal(let scale):
                    let sd2 = exp(2 * s)
                    g[mlp.parameterCount] = sd2 / (scale * scale) - 1 + weight * noiseGradient
                case .normalLog(let scale):
                    g[mlp.parameterCount] = s / (scale * scale) + weight * noiseGradient
                }
            }
        }
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        if let sharedStart { return sharedStart }
        return mlp.initialWeights(rng: &rng) + (learnedNoise ? [0] : [])
    }

    /// Predictions on the test split at a recorded (model-scale) draw φ — the weights and, with
    /// learned noise, σ itself — on the original target scale: the means f(x_j)·sd_y + mean_y
    /// and the noise standard deviation σ·sd_y (the same for every point).
    public func predictions(atRecorded phi: [Double]) -> (mean: [Double], sd: [Double]) {
        pool.withWorkspace { ws in
            let n = data.testCount
            ws.activations[0].withUnsafeMutableBufferPointer { a in
                data.testX.withUnsafeBufferPointer { x in a.baseAddress!.update(from: x.baseAddress!, count: x.count) }
            }
            phi.withUnsafeBufferPointer { mlp.forward($0, rows: n, ws) }
            let out = ws.activations[mlp.layerCount]
            let sd = (learnedNoise ? phi[mlp.parameterCount] : fixedSD) * data.targetSD
            return ((0..<n).map { out[$0] * data.targetSD + data.targetMean }, [Double](repeating: sd, count: n))
        }
    }

    /// The parameter blocks: each weight matrix out × in, each bias out × 1, then log σ (1 × 1).
    public var parameterBlocks: [ParameterBlock] {
        mlp.parameterBlocks + (learnedNoise ? [ParameterBlock(rows: 1, columns: 1)] : [])
    }
}

/// The reference of a BNN is checked in function space (`ReferenceFunctionalsTarget`): the
/// predictive means on the test split (original scale) and, with learned noise, σ.
extension BNNRegression: ReferenceFunctionalsTarget {
    public var referenceFunctionalNames: [String] {
        (1...data.testCount).map { "f(x_test[\($0)])" } + (learnedNoise ? ["sigma"] : [])
    }

    /// 25 000 hmc iterations of 40 leapfrog steps per chain. With hmc's default 10 leapfrog
    /// steps the test predictions of `bnn-uci-yacht` mixed diffusively: at 20 000, 50 000 and
    /// 100 000 iterations their lag-1 autocorrelation stayed at 0.26, 0.10 and 0.076 (bar:
    /// 0.05); the same gradients in 4× longer trajectories pass (max lag-1 0.039, R̂ 1.0009).
    public var referenceSteps: Int { 25_000 }

    public func referenceHyperparameters(for sampler: String) -> [String: ParameterValue] {
        sampler == "hmc" ? ["leapfrog-steps": .number(40)] : [:]
    }

    public func referenceFunctionals(ofRecorded phi: [Double], into values: inout [Double]) {
        // The weights are the same on both scales; only the last coordinate (σ vs log σ) differs.
        let (mean, _) = predictions(atRecorded: phi)
        for j in 0..<mean.count { values[j] = mean[j] }
        if learnedNoise { values[mean.count] = phi[mlp.parameterCount] }
    }
}

/// Predictions on the test split for the `predictive` diagnostic, at recorded (model-scale)
/// draws: Gaussian predictive means and σ on the original target scale.
extension BNNRegression: PredictiveTarget {
    public var predictiveTask: PredictiveTask { .regression }
    public var testLabels: [Double] { data.testY }
    public func testPredictions(at theta: [Double]) -> TestPrediction {
        let (mean, sd) = predictions(atRecorded: theta)
        return .regression(mean: mean, sd: sd)
    }
}

/// The standardisation of y the likelihood works on (the train split's mean and sd; for
/// `bnn-smile-*` the whole data's, as the SMILE code), for the `predictive` diagnostic's
/// standardised-scale metrics (`lppd`, `rmse-standardised`).
extension BNNRegression {
    public var targetStandardisation: (mean: Double, sd: Double) { (data.targetMean, data.targetSD) }
}

/// The deep-ensemble warm start (`--start ensemble`), for splits with validation rows
/// (`bnn-smile-*`): a member is trained as the SMILE code trains one (`EnsembleTrainer`), on
/// their loss for the `mean_regr` task, the mean Gaussian negative log-likelihood with σ fixed
/// at 1, (1/|B|) Σ_{i∈B} [(y_i − f_i)²/2 + ½ log 2π] — mean squared error up to a factor and a
/// constant — with no prior term (AdamW's decoupled decay is the only regulariser), over the
/// network's weights and biases. Validation loss: the same mean over the validation rows.
///
/// Initialisation: LeCun-normal weights N(0, 1/fan-in), zero biases (`MLP.initialWeights`);
/// flax's default `lecun_normal` draws from a normal truncated at ±2 sd and rescaled to the
/// same variance — a deviation in the initial law only.
///
/// The chain start from a member: its weights and, with learned noise, s = log σ̂_m, σ̂_m² the
/// mean squared training residual (the maximum-likelihood σ given the member's network; Adam's
/// steps are invariant to the σ the loss fixes, so this is the σ joint training would reach).
/// The authors start s at 0 (σ = 1 on the standardised scale, 10 to 30 times the fitted
/// residual sd on these data): our start is at the member's conditional mode in s instead,
/// and the deep ensemble's predictive (`deep-ensemble` diagnostic) uses the same σ̂_m.
extension BNNRegression: EnsembleTrainable {
    public var validationRowCount: Int { data.validCount }
    public var trainableDimension: Int { mlp.parameterCount }

    public func ensembleInitialParameters(rng: inout Xoshiro256StarStar) -> [Double] {
        mlp.initialWeights(rng: &rng)
    }

    public func trainingLoss(at parameters: [Double], batch: ArraySlice<Int32>, gradient: inout [Double]) -> Double {
        pool.withWorkspace { ws in
            let m = batch.count
            gather(batch, ws)
            var loss = 0.0
            parameters.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    mlp.forward(t, rows: m, ws)
                    ws.activations[mlp.layerCount].withUnsafeBufferPointer { f in
                        ws.delta.withUnsafeMutableBufferPointer { delta in
                            for i in 0..<m {
                                let r = ws.rowScratch[i] - f[i]
                                delta[i] = -r / Double(m)
                                loss += r * r / 2
                            }
                        }
                    }
                    for k in 0..<g.count { g[k] = 0 }
                    mlp.backward(t, rows: m, ws, into: g)
                }
            }
            return loss / Double(m) + 0.5 * log(2 * Double.pi)
        }
    }

    public func validationLoss(at parameters: [Double]) -> Double {
        meanSquaredResidual(at: parameters, x: data.validX, y: data.validY) / 2 + 0.5 * log(2 * Double.pi)
    }

    public func startPoint(fromMember parameters: [Double]) -> [Double] {
        guard learnedNoise else { return parameters }
        return parameters + [0.5 * log(meanSquaredResidual(at: parameters, x: data.trainX, y: data.trainY))]
    }

    /// (1/n) Σ_j (y_j − f(x_j))² over the rows `x` (standardised) with targets `y`.
    func meanSquaredResidual(at parameters: [Double], x: [Double], y: [Double]) -> Double {
        pool.withWorkspace { ws in
            ws.activations[0].withUnsafeMutableBufferPointer { a in
                x.withUnsafeBufferPointer { a.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
            parameters.withUnsafeBufferPointer { mlp.forward($0, rows: y.count, ws) }
            let f = ws.activations[mlp.layerCount]
            var sum = 0.0
            for j in 0..<y.count { sum += (y[j] - f[j]) * (y[j] - f[j]) }
            return sum / Double(y.count)
        }
    }
}

/// Exported as its standardised train split, its layer widths and its prior and noise scales
/// (`TargetExport`); the activation is the `activation` option.
extension BNNRegression: ExportableTarget {
    public var formula: String {
        let noiseTerms: String
        switch noise {
        case .fixed: noiseTerms = "σ = `noise-sd` fixed (no s in θ): U = ‖w‖²/(2σ_p²) + Σ_i (y_i − f(x_i))²/(2σ²)"
        case .halfNormal: noiseTerms = "θ ends with s = log σ, σ ~ half-normal(0, S), S = `noise-half-normal-scale`: "
            + "U = ‖w‖²/(2σ_p²) + σ²/(2S²) − s + Σ_i [s + (y_i − f(x_i))²/(2σ²)]"
        case .normalLog: noiseTerms = "θ ends with s = log σ, s ~ N(0, S²), S = `noise-normal-log-scale`: "
            + "U = ‖w‖²/(2σ_p²) + s²/(2S²) + Σ_i [s + (y_i − f(x_i))²/(2σ²)]"
        }
        return "θ = for each layer l = 1..L in order, W_l (out × in, row-major) then b_l (out), `widths` = [p, hidden…, 1]; "
            + "f(x) = Z_L with A_0 = x, Z_l = W_l A_{l−1} + b_l, A_l = \(mlp.activation.rawValue)(Z_l) for hidden layers "
            + "(softplus = log(1 + e^z)), the output linear; w = the weights and biases, σ_p = `prior-scale`; "
            + noiseTerms + "; X and y are the standardised train rows; a minibatch B replaces Σ_i by (N/|B|) Σ_{i∈B}"
    }

    public var exportedArrays: [TargetArray] {
        let noiseArray: TargetArray
        switch noise {
        case .fixed(let sd): noiseArray = TargetArray("noise-sd", shape: [], values: [sd], meaning: "σ, fixed")
        case .halfNormal(let s): noiseArray = TargetArray("noise-half-normal-scale", shape: [], values: [s], meaning: "S of σ ~ half-normal(0, S)")
        case .normalLog(let s): noiseArray = TargetArray("noise-normal-log-scale", shape: [], values: [s], meaning: "S of log σ ~ N(0, S²)")
        }
        return [
            TargetArray("X", shape: [data.trainCount, data.featureCount], values: data.trainX, meaning: "the standardised train features, one row per datum"),
            TargetArray("y", shape: [data.trainCount], values: data.trainY, meaning: "the standardised train targets"),
            TargetArray("widths", shape: [mlp.widths.count], values: mlp.widths.map(Double.init), meaning: "layer widths, input first"),
            TargetArray("prior-scale", shape: [], values: [priorScale], meaning: "σ_p of the N(0, σ_p²) prior on every weight and bias"),
            noiseArray,
        ]
    }
}
