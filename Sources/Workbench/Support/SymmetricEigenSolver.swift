import CGSL
import Foundation

/// A GSL symmetric eigen-solver (`gsl_eigen_symmv`) for matrices of one size, with its
/// buffers, owned by this object and freed with it, and the matrix powers Q diag(eᵖ) Qᵀ of a
/// decomposition (`sgrld-shampoo`'s preconditioner). It is scratch space: `decompose`
/// overwrites everything, so holders that share one (copies of a sampler state) stay correct
/// as long as they do not use it concurrently — each chain builds its own. Neither call
/// allocates.
public final class SymmetricEigenSolver: @unchecked Sendable {
    public let size: Int
    private let matrix: UnsafeMutablePointer<gsl_matrix>
    private let values: UnsafeMutablePointer<gsl_vector>
    private let vectors: UnsafeMutablePointer<gsl_matrix>
    private let workspace: UnsafeMutablePointer<gsl_eigen_symmv_workspace>
    /// Q diag(e^(p/2)) and its Gram matrix Q diag(e^p) Qᵀ.
    private let scaled: UnsafeMutablePointer<gsl_matrix>
    private let power: UnsafeMutablePointer<gsl_matrix>

    /// Allocates the GSL workspace and matrices for size × size matrices (size ≥ 1).
    public init(size: Int) {
        gsl_set_error_handler_off()
        self.size = size
        matrix = gsl_matrix_alloc(size, size)
        values = gsl_vector_alloc(size)
        vectors = gsl_matrix_alloc(size, size)
        workspace = gsl_eigen_symmv_alloc(size)
        scaled = gsl_matrix_alloc(size, size)
        power = gsl_matrix_alloc(size, size)
    }

    deinit {
        gsl_matrix_free(matrix)
        gsl_vector_free(values)
        gsl_matrix_free(vectors)
        gsl_eigen_symmv_free(workspace)
        gsl_matrix_free(scaled)
        gsl_matrix_free(power)
    }

    /// Decomposes F + shift·I, F the symmetric size × size row-major matrix at `start` of
    /// `source`.
    public func decompose(_ source: [Double], at start: Int, shift: Double) {
        let n = size, tda = matrix.pointee.tda
        let data = matrix.pointee.data!
        for i in 0..<n {
            for j in 0..<n { data[i * tda + j] = source[start + i * n + j] + (i == j ? shift : 0) }
        }
        let status = gsl_eigen_symmv(matrix, values, vectors, workspace)
        precondition(status == GSL_SUCCESS, "gsl_eigen_symmv failed with status \(status)")
    }

    /// Writes Q diag(max(e, floor)^p) Qᵀ of the last decomposition for two exponents into the
    /// size × size row-major slots at `start` of `first` and `second` (BLAS dsyrk).
    public func applyPowers(floor: Double, _ p1: Double, into first: inout [Double], _ p2: Double, into second: inout [Double], at start: Int) {
        power(floor: floor, p1, into: &first, at: start)
        power(floor: floor, p2, into: &second, at: start)
    }

    private func power(floor: Double, _ p: Double, into out: inout [Double], at start: Int) {
        let n = size
        let q = vectors.pointee.data!, qt = vectors.pointee.tda
        let w = scaled.pointee.data!, wt = scaled.pointee.tda
        for k in 0..<n {
            let factor = pow(max(gsl_vector_get(values, k), floor), p / 2)
            for i in 0..<n { w[i * wt + k] = q[i * qt + k] * factor }
        }
        // Q diag(e^p) Qᵀ = W Wᵀ, lower triangle by a symmetric rank-n update.
        gsl_blas_dsyrk(CblasLower, CblasNoTrans, 1, scaled, 0, power)
        let r = power.pointee.data!, rt = power.pointee.tda
        for i in 0..<n {
            for j in 0...i {
                out[start + i * n + j] = r[i * rt + j]
                out[start + j * n + i] = r[i * rt + j]
            }
        }
    }
}
