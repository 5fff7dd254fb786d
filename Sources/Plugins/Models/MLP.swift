import COpenBLAS
import Foundation
import Workbench

/// A multilayer perceptron whose forward and backward passes are matrix products over
/// OpenBLAS (`dgemm`, see `gemm`), for the BNN targets.
///
/// Layout of the parameters θ (what samplers move): for each layer l = 1..L in order, the
/// weight matrix W_l (out × in, row-major) and then the bias b_l (out). Hidden layers apply
/// the activation; the output layer is linear (the likelihood sits on top of it).
///
/// A pass over m rows: A₀ = X_B (m × p, gathered into the workspace), Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ,
/// A_l = act(Z_l) for hidden layers; output F = Z_L. Backward, from Δ_L = ∂U/∂F (m × out):
/// ∂U/∂W_l += Δ_lᵀ A_{l−1}, ∂U/∂b_l += 1ᵀΔ_l, Δ_{l−1} = (Δ_l W_l) ⊙ act′(A_{l−1}) — the
/// derivative is taken from the stored activations (tanh′ = 1 − a², relu′ = 1{a > 0},
/// softplus′ = σ(z) = 1 − e^{−a}), so Z is never stored.
struct MLP: Sendable {
    enum Activation: String, CaseIterable, Sendable {
        case tanh, relu, softplus
    }

    let inputs: Int
    /// Widths of the hidden layers (depth entries).
    let hidden: [Int]
    let outputs: Int
    let activation: Activation
    /// Widths of all layers, input first: [p, h₁, …, h_depth, outputs].
    let widths: [Int]
    /// Offsets of W_l and b_l in θ.
    let weightOffsets: [Int]
    let biasOffsets: [Int]
    let parameterCount: Int

    init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        self.activation = activation
        widths = [inputs] + hidden + [outputs]
        var w: [Int] = [], b: [Int] = [], offset = 0
        for l in 0..<(widths.count - 1) {
            w.append(offset)
            offset += widths[l] * widths[l + 1]
            b.append(offset)
            offset += widths[l + 1]
        }
        weightOffsets = w
        biasOffsets = b
        parameterCount = offset
    }

    var layerCount: Int { widths.count - 1 }
    var maxWidth: Int { widths.max()! }

    /// Coordinate names: W1[i,j], b1[i], … (1-based).
    var parameterNames: [String] {
        var names: [String] = []
        for l in 0..<layerCount {
            for i in 1...widths[l + 1] { for j in 1...widths[l] { names.append("W\(l + 1)[\(i),\(j)]") } }
            for i in 1...widths[l + 1] { names.append("b\(l + 1)[\(i)]") }
        }
        return names
    }

    /// The parameter blocks (for per-block preconditioners such as Shampoo): each W_l as an
    /// out × in matrix and each b_l as out × 1, in the order of θ.
    var parameterBlocks: [ParameterBlock] {
        (0..<layerCount).flatMap { l in
            [ParameterBlock(rows: widths[l + 1], columns: widths[l]), ParameterBlock(rows: widths[l + 1], columns: 1)]
        }
    }

    /// A deterministic start: W_l entries N(0, 1/in) (LeCun), biases 0.
    func initialWeights(rng: inout Xoshiro256StarStar) -> [Double] {
        var theta = [Double](repeating: 0, count: parameterCount)
        for l in 0..<layerCount {
            let sd = 1 / Double(widths[l]).squareRoot()
            for k in 0..<(widths[l] * widths[l + 1]) { theta[weightOffsets[l] + k] = sd * rng.normal() }
        }
        return theta
    }

    /// Scratch memory for passes over at most `rows` rows: the gathered inputs, every layer's
    /// activations, and two delta buffers. One per concurrent call (`WorkspacePool`).
    final class Workspace {
        let rows: Int
        /// activations[0] is the gathered input; activations[l] is A_l (rows × widths[l]).
        var activations: [[Double]]
        var delta: [Double]
        var deltaPrevious: [Double]
        /// Per-row scratch of the likelihood (e.g. gathered targets or labels).
        var rowScratch: [Double]

        init(mlp: MLP, rows: Int) {
            self.rows = rows
            activations = mlp.widths.map { [Double](repeating: 0, count: rows * $0) }
            delta = [Double](repeating: 0, count: rows * mlp.maxWidth)
            deltaPrevious = [Double](repeating: 0, count: rows * mlp.maxWidth)
            rowScratch = [Double](repeating: 0, count: rows)
        }
    }

    /// Sets OpenBLAS to one thread, once: chains run in parallel already.
    static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    /// Forward pass over `m` rows whose inputs are already in `ws.activations[0]`; the outputs
    /// end up in `ws.activations[L]` (m × outputs).
    func forward(_ theta: UnsafeBufferPointer<Double>, rows m: Int, _ ws: Workspace) {
        for l in 0..<layerCount {
            let fanIn = widths[l], fanOut = widths[l + 1]
            let isHidden = l < layerCount - 1
            let activation = self.activation
            ws.activations[l].withUnsafeBufferPointer { a in
                ws.activations[l + 1].withUnsafeMutableBufferPointer { z in
                    let bias = theta.baseAddress! + biasOffsets[l]
                    for r in 0..<m {
                        (z.baseAddress! + r * fanOut).update(from: bias, count: fanOut)
                    }
                    gemm(transposeA: false, transposeB: true, m: m, n: fanOut, k: fanIn,
                         alpha: 1, a.baseAddress!, lda: fanIn, theta.baseAddress! + weightOffsets[l], ldb: fanIn,
                         beta: 1, z.baseAddress!, ldc: fanOut)
                    if isHidden { Self.activate(activation, UnsafeMutableBufferPointer(rebasing: z[0..<(m * fanOut)])) }
                }
            }
        }
    }

    /// Elements from which the activation is applied on every core: below it (every BNN at its
    /// defaults) one thread does it, as chains already run in parallel.
    static let parallelActivationThreshold = 1 << 16

    /// Applies the hidden-layer activation to `z` in place. Large layers (the wide MLP of
    /// `bench perf`) are split into chunks applied on every core; element-wise, so the result
    /// is the same whatever the split.
    static func activate(_ activation: Activation, _ z: UnsafeMutableBufferPointer<Double>) {
        func apply(_ range: Range<Int>) {
            switch activation {
            case .tanh: applyTanh(z, range)
            case .relu: for k in range { z[k] = max(z[k], 0) }
            case .softplus:
                for k in range {
                    let v = z[k]
                    z[k] = v > 0 ? v + log1p(exp(-v)) : log1p(exp(v))
                }
            }
        }
        let n = z.count
        guard n >= parallelActivationThreshold else { return apply(0..<n) }
        let chunk = 1 << 14
        _ = concurrentMap((n + chunk - 1) / chunk) { c in apply((c * chunk)..<min(n, (c + 1) * chunk)) }
    }

    /// tanh x to within a few ulp (Cephes' `tanh`, Moshier 1984): for |x| < 0.625 the odd
    /// rational x + x·z·P(z)/Q(z), z = x²; above, sign(x)·(1 − 2/(e^{2|x|} + 1)), ±1 beyond
    /// |x| = 22 (where 1 − tanh < 2⁻⁶³). One `exp` instead of glibc's `expm1` path: the
    /// activation is the largest cost of the BNN gradients (BENCHMARKS.md). NaN stays NaN.
    @inline(__always)
    static func fastTanh(_ x: Double) -> Double {
        abs(x) < 0.625 ? tanhRational(x) : tanhExponential(x)
    }

    /// `fastTanh` for |x| < 0.625: x + x·z·P(z)/Q(z), z = x² (finite or NaN for larger |x|,
    /// never a trap).
    @inline(__always)
    static func tanhRational(_ x: Double) -> Double {
        let z = x * x
        let p = (-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z - 1.61468768441708447952e3
        let q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z + 4.84406305325125486048e3
        return x + x * z * (p / q)
    }

    /// `fastTanh` for |x| ≥ 0.625 (and NaN): sign(x)·(1 − 2/(e^{2|x|} + 1)), ±1 beyond |x| = 22.
    @inline(__always)
    static func tanhExponential(_ x: Double) -> Double {
        let a = abs(x)
        if a > 22 { return x > 0 ? 1 : -1 }
        let y = 1 - 2 / (Foundation.exp(2 * a) + 1)
        // sign(x)·y without a branch on the data's sign (y > 0 here; NaN stays NaN).
        return Double(signOf: x, magnitudeOf: y)
    }

    /// `fastTanh` over `z[range]`, the same values without a branch per element: which form an
    /// element takes depends on the data, so a branch on it is mispredicted often (BENCHMARKS.md,
    /// "Measurements behind the code"). In blocks of 64,
    /// every element gets the rational form, kept where |x| < 0.625 by a select (which the
    /// optimiser vectorises); the others are marked in a bit mask and then given the
    /// exponential form one by one. Plain scalar code: SIMD types are slow in the unoptimised
    /// builds the tests run.
    static func applyTanh(_ z: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>) {
        guard let base = z.baseAddress else { return }
        var start = range.lowerBound
        while start + 64 <= range.upperBound {
            let block = base + start
            for j in 0..<64 {
                // Both computed, one kept by a bit mask: no branch for the optimiser to keep.
                let x = block[j], rational = tanhRational(x)
                let keep: UInt64 = abs(x) < 0.625 ? ~0 : 0
                block[j] = Double(bitPattern: (rational.bitPattern & keep) | (x.bitPattern & ~keep))
            }
            // The elements left as they were: |tanh x| < 0.56 where the rational form applied.
            var large: UInt64 = 0
            for j in 0..<64 {
                large |= UInt64(abs(block[j]) < 0.625 ? 0 : 1) << UInt64(j)
            }
            while large != 0 {
                let k = start + large.trailingZeroBitCount
                base[k] = tanhExponential(base[k])
                large &= large - 1
            }
            start += 64
        }
        for k in start..<range.upperBound { base[k] = fastTanh(base[k]) }
    }

    /// Backward pass over `m` rows from Δ_L = ∂U/∂F in `ws.delta` (m × outputs), after
    /// `forward`: adds ∂U/∂θ into `gradient` (which holds the prior gradient).
    func backward(_ theta: UnsafeBufferPointer<Double>, rows m: Int, _ ws: Workspace,
                  into gradient: UnsafeMutableBufferPointer<Double>) {
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let fanIn = widths[l], fanOut = widths[l + 1]
            ws.delta.withUnsafeBufferPointer { delta in
                ws.activations[l].withUnsafeBufferPointer { a in
                    // ∂U/∂W_l += Δ_lᵀ A_{l−1}  (out × in)
                    gemm(transposeA: true, transposeB: false, m: fanOut, n: fanIn, k: m,
                         alpha: 1, delta.baseAddress!, lda: fanOut, a.baseAddress!, ldb: fanIn,
                         beta: 1, gradient.baseAddress! + weightOffsets[l], ldc: fanIn)
                    // ∂U/∂b_l += column sums of Δ_l
                    let gb = gradient.baseAddress! + biasOffsets[l]
                    for r in 0..<m {
                        let row = delta.baseAddress! + r * fanOut
                        for k in 0..<fanOut { gb[k] += row[k] }
                    }
                    guard l > 0 else { return }
                    ws.deltaPrevious.withUnsafeMutableBufferPointer { previous in
                        // Δ_{l−1} = (Δ_l W_l) ⊙ act′(A_{l−1})
                        gemm(transposeA: false, transposeB: false, m: m, n: fanIn, k: fanOut,
                             alpha: 1, delta.baseAddress!, lda: fanOut, theta.baseAddress! + weightOffsets[l], ldb: fanIn,
                             beta: 0, previous.baseAddress!, ldc: fanIn)
                        let n = m * fanIn
                        switch activation {
                        case .tanh: for k in 0..<n { previous[k] *= 1 - a[k] * a[k] }
                        case .relu: for k in 0..<n where !(a[k] > 0) { previous[k] = 0 }
                        case .softplus: for k in 0..<n { previous[k] *= -expm1(-a[k]) }
                        }
                    }
                }
            }
            if l > 0 { swap(&ws.delta, &ws.deltaPrevious) }
        }
    }

    /// ½‖θ_net‖²/σ_p² over the network's parameters (the N(0, σ_p²) prior, up to a constant),
    /// and its gradient θ/σ_p² written into the first `parameterCount` entries of `gradient`.
    func priorPotential(_ theta: UnsafeBufferPointer<Double>, priorScale: Double) -> Double {
        var s = 0.0
        for k in 0..<parameterCount { s += theta[k] * theta[k] }
        return 0.5 * s / (priorScale * priorScale)
    }

    func writePriorGradient(_ theta: UnsafeBufferPointer<Double>, priorScale: Double,
                            into gradient: UnsafeMutableBufferPointer<Double>) {
        let precision = 1 / (priorScale * priorScale)
        for k in 0..<parameterCount { gradient[k] = theta[k] * precision }
    }

    /// Row-major C (m × n) ← α op(A) op(B) + β C, op(A) m × k, op(B) k × n, by OpenBLAS's
    /// column-major `dgemm_`: a row-major matrix is its transpose in column-major order, so
    /// C_rm = op(A) op(B) is Cᵀ_cm = op(B)ᵀ op(A)ᵀ, i.e. dgemm with A and B swapped.
    @inline(__always)
    func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
              _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
              beta: Double, _ c: UnsafeMutablePointer<Double>, ldc: Int) {
        var ta: CChar = transposeB ? 84 : 78  // "T" : "N"
        var tb: CChar = transposeA ? 84 : 78
        var mm = Int32(n), nn = Int32(m), kk = Int32(k)
        var al = alpha, be = beta
        var la = Int32(ldb), lb = Int32(lda), lc = Int32(ldc)
        dgemm_(&ta, &tb, &mm, &nn, &kk, &al, UnsafeMutablePointer(mutating: b), &la,
               UnsafeMutablePointer(mutating: a), &lb, &be, c, &lc)
    }
}
