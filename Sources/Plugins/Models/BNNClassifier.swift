import Foundation
import Workbench

/// A Bayesian MLP classifier (the `bnn-classify` target): logits F = f(x; w) from an `MLP`
/// with C outputs, softmax likelihood p(y = c | x, w) = exp F_c / Σ_k exp F_k, prior
/// w ~ N(0, σ_p² I), features standardised on the train split.
///
/// U(w) = ‖w‖²/(2σ_p²) + Σ_i [ logsumexp(F_i) − F_{i, y_i} ]; ∂U/∂F_i = softmax(F_i) − e_{y_i},
/// back-propagated through the network; a minibatch B scales Σ_{i∈B} by N/|B|. Workspaces as
/// in `BNNRegression` (pooled, no allocation per step).
public struct BNNClassifier: MLPLikelihood {
    public let id: String
    let mlp: MLP
    let data: StandardisedSplit
    let classes: Int
    let priorScale: Double
    let sharedStart: [Double]?
    let pool: WorkspacePool<MLP.Workspace>
    public internal(set) var reference: Reference
    /// The posterior-predictive class probabilities of the cached reference (test points × C).
    public internal(set) var referencePredictive: ReferencePredictive?

    public var dimension: Int { mlp.parameterCount }
    /// 1/√N: the posterior scale of an output logit weight over N data (softmax curvature
    /// ≤ 1/4 per datum), declared so a grid's sweep does not depend on a cached reference.
    public var lengthScale: Double { 1 / Double(dataSize).squareRoot() }
    public var defaultBatchSize: BatchSize { 32 }
    public var parameterNames: [String] { mlp.parameterNames }
    /// σ_p for every weight and bias: what bounds a chain before it is called diverged.
    public var priorScales: [Double]? { [Double](repeating: priorScale, count: mlp.parameterCount) }

    init(id: String, data: StandardisedSplit, classes: Int, options: UCIBNNOptions) {
        _ = MLP.singleThreadedBLAS
        self.id = id
        self.data = data
        self.classes = classes
        let mlp = options.network.mlp(inputs: data.featureCount, outputs: classes)
        self.mlp = mlp
        priorScale = options.network.priorScale
        sharedStart = options.start.sharedWeights(of: mlp, targetID: id)
        let rows = max(data.trainCount, data.testCount)
        pool = WorkspacePool { MLP.Workspace(mlp: mlp, rows: rows) }
        reference = .unavailable(dimension: mlp.parameterCount)
    }

    /// Log-sum-exp of the C logits at `row` of `f`, computed stably.
    @inline(__always)
    private func logSumExp(_ f: UnsafeBufferPointer<Double>, row i: Int) -> Double {
        var top = -Double.infinity
        for c in 0..<classes { top = max(top, f[i * classes + c]) }
        var s = 0.0
        for c in 0..<classes { s += exp(f[i * classes + c] - top) }
        return top + log(s)
    }

    public func potential(at theta: [Double]) -> Double {
        pool.withWorkspace { ws in
            gatherAll(ws)
            return theta.withUnsafeBufferPointer { t in
                let n = data.trainCount
                mlp.forward(t, rows: n, ws)
                var u = mlp.priorPotential(t, priorScale: priorScale)
                ws.activations[mlp.layerCount].withUnsafeBufferPointer { f in
                    for i in 0..<n { u += logSumExp(f, row: i) - f[i * classes + Int(ws.rowScratch[i])] }
                }
                return u
            }
        }
    }

    func accumulateGradient(at theta: [Double], rows m: Int, weight: Double, _ ws: MLP.Workspace,
                                    into gradient: inout [Double]) {
        theta.withUnsafeBufferPointer { t in
            gradient.withUnsafeMutableBufferPointer { g in
                mlp.forward(t, rows: m, ws)
                mlp.writePriorGradient(t, priorScale: priorScale, into: g)
                ws.activations[mlp.layerCount].withUnsafeBufferPointer { f in
                    ws.delta.withUnsafeMutableBufferPointer { delta in
                        for i in 0..<m {
                            let lse = logSumExp(f, row: i)
                            for c in 0..<classes {
                                delta[i * classes + c] = weight * exp(f[i * classes + c] - lse)
                            }
                            delta[i * classes + Int(ws.rowScratch[i])] -= weight
                        }
                    }
                }
                mlp.backward(t, rows: m, ws, into: g)
            }
        }
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        sharedStart ?? mlp.initialWeights(rng: &rng)
    }

    /// Class probabilities on the test split at θ, row-major (test points × C).
    public func testProbabilities(at theta: [Double]) -> [Double] {
        pool.withWorkspace { ws in
            let n = data.testCount
            ws.activations[0].withUnsafeMutableBufferPointer { a in
                data.testX.withUnsafeBufferPointer { x in a.baseAddress!.update(from: x.baseAddress!, count: x.count) }
            }
            theta.withUnsafeBufferPointer { mlp.forward($0, rows: n, ws) }
            return ws.activations[mlp.layerCount].withUnsafeBufferPointer { f in
                var p = [Double](repeating: 0, count: n * classes)
                for i in 0..<n {
                    let lse = logSumExp(f, row: i)
                    for c in 0..<classes { p[i * classes + c] = exp(f[i * classes + c] - lse) }
                }
                return p
            }
        }
    }

    /// Each weight matrix out × in and each bias out × 1.
    public var parameterBlocks: [ParameterBlock] { mlp.parameterBlocks }
}

/// The reference of the classifier is checked in function space (`ReferenceFunctionalsTarget`):
/// the class probabilities on the test split.
extension BNNClassifier: ReferenceFunctionalsTarget {
    public var referenceFunctionalNames: [String] {
        (1...data.testCount).flatMap { j in (0..<classes).map { "p(\($0) | x_test[\(j)])" } }
    }

    public func referenceFunctionals(ofRecorded phi: [Double], into values: inout [Double]) {
        let p = testProbabilities(at: phi)
        for k in 0..<p.count { values[k] = p[k] }
    }
}

/// Class probabilities on the test split for the `predictive` diagnostic.
extension BNNClassifier: PredictiveTarget {
    public var predictiveTask: PredictiveTask { .classification(classes: classes) }
    public var testLabels: [Double] { data.testY }
    public func testPredictions(at theta: [Double]) -> TestPrediction {
        .classification(probabilities: testProbabilities(at: theta))
    }
}

/// Exported as its standardised train split, class labels, widths and prior scale
/// (`TargetExport`); the activation is the `activation` option.
extension BNNClassifier: ExportableTarget {
    public var formula: String {
        "θ = for each layer l = 1..L in order, W_l (out × in, row-major) then b_l (out), `widths` = [p, hidden…, C]; "
            + "logits F(x) = Z_L with A_0 = x, Z_l = W_l A_{l−1} + b_l, A_l = \(mlp.activation.rawValue)(Z_l) for hidden layers "
            + "(softplus = log(1 + e^z)), the output linear; U = ‖w‖²/(2σ_p²) + Σ_i [logsumexp(F(x_i)) − F(x_i)_{y_i}], "
            + "σ_p = `prior-scale`, y_i the 0-based class in `labels`; X are the standardised train rows; "
            + "a minibatch B replaces Σ_i by (N/|B|) Σ_{i∈B}"
    }

    public var exportedArrays: [TargetArray] {
        [TargetArray("X", shape: [data.trainCount, data.featureCount], values: data.trainX, meaning: "the standardised train features, one row per datum"),
         TargetArray("labels", shape: [data.trainCount], values: data.trainY, meaning: "the class of each train row, 0-based"),
         TargetArray("widths", shape: [mlp.widths.count], values: mlp.widths.map(Double.init), meaning: "layer widths, input first"),
         TargetArray("prior-scale", shape: [], values: [priorScale], meaning: "σ_p of the N(0, σ_p²) prior on every weight and bias")]
    }
}
