import Foundation
import Workbench

/// `sgrld-shampoo`: SGRLD with the Shampoo metric (Gupta, Koren & Singer 2018, "Shampoo:
/// preconditioned stochastic tensor optimization"), Γ dropped, as analysed in arXiv 2403.08609
/// (arXiv 2403.08609).
///
/// For each parameter block of the target (`Target.parameterBlocks`; a plain vector is one
/// d × 1 block), shaped m × n, with per-datum gradient block Ĝ (the block of ∇Ũ/N, row-major):
///
///     L ← βL + (1−β) Ĝ Ĝᵀ   (m × m),      R ← βR + (1−β) ĜᵀĜ   (n × n),
///     P(X) = (L + λI)^(−1/4) X (R + λI)^(−1/4),   P^(1/2)(X) = (L + λI)^(−1/8) X (R + λI)^(−1/8),
///     θ ← θ − h P(∇Ũ) + √(2h) P^(1/2)(ξ).
///
/// P is the Kronecker operator (R+λI)^(−1/4) ⊗ (L+λI)^(−1/4) on vec(X) and P^(1/2) its
/// symmetric square root, so the noise has covariance 2hP. L and R start at 0 and are updated
/// every step; their matrix powers come from a symmetric eigendecomposition (GSL
/// `gsl_eigen_symmv`, eigenvalues floored at λ against rounding) refreshed every k steps,
/// starting with the first (between refreshes the last powers are used; 1 × 1 blocks take the
/// scalar powers directly).
///
/// Defaults: refresh k = 10 (SAMPLERS.md); SAMPLERS.md fixes no β or λ, so β = 0.99 (the
/// memory of `psgld` and `sgrld-monge`, for a like-for-like comparison) and λ = 1e−4 (on the
/// squared per-datum gradient scale; P is at most λ^(−1/2) = 100). Cost: one minibatch
/// gradient per step (n), plus O(m²n + mn²) arithmetic per block per step and O(m³ + n³) per
/// refresh.
///
/// Not consistent: without Γ the stationary law is p · P⁻¹ (zero-flux Fokker–Planck solution,
/// arXiv 2403.08609). On the 1-D standard normal with full-batch gradients L = R = V ≈ θ² (fast
/// adaptation), P = (V + λ)^(−1/2), and the limit law is ∝ √(λ + θ²) e^(−θ²/2) (variance → 2
/// as λ → 0); the memory of the averages and of the k-step refresh move it slightly.
public struct SGRLDShampoo: Sampler {
    public let stepSize: Double
    public let beta: Double
    public let lambda: Double
    public let refresh: Int

    public static let id = "sgrld-shampoo"
    public static let summary = "SGRLD with the Shampoo (Kronecker) metric per parameter block, Γ dropped (arXiv 2403.08609)"
    public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .length))
    public struct Parameters: ParameterSet {
        @Real(in: 0...1, help: "decay β of the factor averages L and R")
        public var beta = 0.99
        @Real(in: 0...1e6, open: .lower, help: "λ added to L and R before the powers")
        public var lambda = 1e-4
        @Integer(in: 1...1_000_000_000, help: "steps between eigendecompositions (k)")
        public var refresh = 10
        public init() {}
    }

    public static func gradientCost(parameters p: Parameters, target: TargetCapabilities) -> GradientCost {
        GradientCost(batchGradientsPerStep: 1)
    }

    public static func standardNormalPrediction(stepSize h: Double, parameters p: Parameters) -> StationaryPrediction? {
        let lambda = p.lambda
        return StationaryPrediction(formula: "∝ √(λ + θ²) e^(−θ²/2), λ = \(formatNumber(lambda))") { x in
            (lambda + x * x).squareRoot() * exp(-0.5 * x * x)
        }
    }

    /// Where one block lives in θ and in the flat factor storage.
    struct Block: Sendable {
        let offset: Int, rows: Int, columns: Int
        /// Offsets of the m × m (left) and n × n (right) matrices in the flat factor arrays.
        let left: Int, right: Int
    }

    public struct State: SamplerState {
        public var position: [Double]
        var gradient: [Double]
        var noise: [Double]
        let blocks: [Block]
        /// L and R of every block, flat; and their −1/4 and −1/8 powers.
        var factors: [Double]
        var quarterPowers: [Double]
        var eighthPowers: [Double]
        /// m × n scratch for the two-sided products.
        var product: [Double]
        var t = 0
        /// GSL eigen-solvers by matrix size (scratch only: every use overwrites them).
        let solvers: [Int: SymmetricEigenSolver]
    }

    public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
        var blocks: [Block] = []
        var offset = 0, factorCount = 0, largest = 1
        var solvers: [Int: SymmetricEigenSolver] = [:]
        for shape in oracle.parameterBlocks {
            let m = shape.rows, n = shape.columns
            blocks.append(Block(offset: offset, rows: m, columns: n, left: factorCount, right: factorCount + m * m))
            offset += m * n
            factorCount += m * m + n * n
            largest = max(largest, m * n)
            for size in [m, n] where size > 1 && solvers[size] == nil { solvers[size] = SymmetricEigenSolver(size: size) }
        }
        precondition(offset == position.count, "the target's parameter blocks cover \(offset) coordinates, not d = \(position.count)")
        let zeros = [Double](repeating: 0, count: position.count)
        return State(position: position, gradient: zeros, noise: zeros, blocks: blocks,
                     factors: [Double](repeating: 0, count: factorCount),
                     quarterPowers: [Double](repeating: 0, count: factorCount),
                     eighthPowers: [Double](repeating: 0, count: factorCount),
                     product: [Double](repeating: 0, count: largest), solvers: solvers)
    }

    public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
        let h = stepSize
        let perDatum = 1 / Double(oracle.dataSize)
        let d = state.position.count
        oracle.stochasticGradient(at: state.position, into: &state.gradient)
        for i in 0..<d { state.noise[i] = rng.normal() }
        let refreshNow = state.t % refresh == 0
        state.t += 1
        for block in state.blocks {
            updateFactors(&state.factors, block: block, gradient: state.gradient, scale: perDatum)
            if refreshNow {
                powers(of: state.factors, at: block.left, size: block.rows, solver: state.solvers[block.rows],
                       quarter: &state.quarterPowers, eighth: &state.eighthPowers)
                powers(of: state.factors, at: block.right, size: block.columns, solver: state.solvers[block.columns],
                       quarter: &state.quarterPowers, eighth: &state.eighthPowers)
            }
            // θ_B ← θ_B − h A X B + √(2h) A' Ξ B' with (A, B) the −1/4 and (A', B') the −1/8 powers.
            twoSided(state.quarterPowers, block, input: state.gradient, scale: -h,
                     output: &state.position, product: &state.product)
            twoSided(state.eighthPowers, block, input: state.noise, scale: (2 * h).squareRoot(),
                     output: &state.position, product: &state.product)
        }
        return StepInfo()
    }

    /// L ← βL + (1−β)ĜĜᵀ and R ← βR + (1−β)ĜᵀĜ with Ĝ = scale · (gradient block).
    private func updateFactors(_ factors: inout [Double], block: Block, gradient: [Double], scale: Double) {
        let m = block.rows, n = block.columns, o = block.offset
        let w = (1 - beta) * scale * scale, b = beta
        gradient.withUnsafeBufferPointer { gp in
            factors.withUnsafeMutableBufferPointer { fp in
                let g = gp.baseAddress! + o
                let left = fp.baseAddress! + block.left, right = fp.baseAddress! + block.right
                for i in 0..<m {
                    for j in 0...i {
                        var s = 0.0
                        for k in 0..<n { s += g[i * n + k] * g[j * n + k] }
                        let v = b * left[i * m + j] + w * s
                        left[i * m + j] = v
                        left[j * m + i] = v
                    }
                }
                for k in 0..<n {
                    for l in 0...k {
                        var s = 0.0
                        for i in 0..<m { s += g[i * n + k] * g[i * n + l] }
                        let v = b * right[k * n + l] + w * s
                        right[k * n + l] = v
                        right[l * n + k] = v
                    }
                }
            }
        }
    }

    /// (F + λI)^(−1/4) and (F + λI)^(−1/8) of the size × size matrix F at `start`.
    private func powers(of factors: [Double], at start: Int, size: Int, solver: SymmetricEigenSolver?,
                        quarter: inout [Double], eighth: inout [Double]) {
        guard let solver else {
            let e = max(factors[start] + lambda, lambda)
            quarter[start] = pow(e, -0.25)
            eighth[start] = pow(e, -0.125)
            return
        }
        solver.decompose(factors, at: start, shift: lambda)
        solver.applyPowers(floor: lambda, -0.25, into: &quarter, -0.125, into: &eighth, at: start)
    }

    /// output_B += scale · A X B, A (m × m) and B (n × n) at the block's offsets in `matrices`,
    /// X the block of `input`.
    private func twoSided(_ matrices: [Double], _ block: Block, input: [Double], scale: Double,
                          output: inout [Double], product: inout [Double]) {
        let m = block.rows, n = block.columns, o = block.offset
        matrices.withUnsafeBufferPointer { mp in
            input.withUnsafeBufferPointer { ip in
                product.withUnsafeMutableBufferPointer { pp in
                    output.withUnsafeMutableBufferPointer { op in
                        let a = mp.baseAddress! + block.left, b = mp.baseAddress! + block.right
                        let x = ip.baseAddress! + o, out = op.baseAddress! + o, p = pp.baseAddress!
                        // p = A X
                        for i in 0..<m {
                            for k in 0..<n {
                                var s = 0.0
                                for j in 0..<m { s += a[i * m + j] * x[j * n + k] }
                                p[i * n + k] = s
                            }
                        }
                        // out += scale · p B
                        for i in 0..<m {
                            for k in 0..<n {
                                var s = 0.0
                                for l in 0..<n { s += p[i * n + l] * b[l * n + k] }
                                out[i * n + k] += scale * s
                            }
                        }
                    }
                }
            }
        }
    }
}

extension SGRLDShampoo {
    /// Built from the grid's step size and validated hyperparameters (in an extension, so the
    /// memberwise initialiser stays).
    public init(stepSize h: Double, parameters p: Parameters) {
        self = SGRLDShampoo(stepSize: h, beta: p.beta, lambda: p.lambda, refresh: p.refresh)
    }
}
