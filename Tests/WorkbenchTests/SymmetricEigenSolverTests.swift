import Foundation
import Testing
@testable import Workbench

@Suite struct SymmetricEigenSolverTests {
    /// F = [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, ∓1)/√2, so
    /// F^p = Q diag(1, 3^p) Qᵀ; the powers land at `start` of the outputs and nothing else moves.
    @Test func powersOfATwoByTwoMatrix() {
        let solver = SymmetricEigenSolver(size: 2)
        let source = [9.0, 2, 1, 1, 2]
        solver.decompose(source, at: 1, shift: 0)
        var inverse = [Double](repeating: 7, count: 5), root = [Double](repeating: 7, count: 5)
        solver.applyPowers(floor: 0, -1, into: &inverse, 0.5, into: &root, at: 1)
        func power(_ p: Double) -> [Double] {
            let a = 0.5 * (1 + pow(3, p)), b = 0.5 * (pow(3, p) - 1)
            return [a, b, b, a]
        }
        #expect(inverse[0] == 7 && root[0] == 7)
        for (got, want) in zip(inverse[1...], power(-1)) { #expect(abs(got - want) < 1e-14) }
        for (got, want) in zip(root[1...], power(0.5)) { #expect(abs(got - want) < 1e-14) }
    }

    /// The shift is added to the diagonal before decomposing, and eigenvalues below the floor
    /// are raised to it: F = 0 shifted by 4 gives 4^p I, and F = 0 unshifted with floor 4 too.
    @Test func shiftAndFloor() {
        let solver = SymmetricEigenSolver(size: 3)
        let zero = [Double](repeating: 0, count: 9)
        for (shift, floor) in [(4.0, 0.0), (0.0, 4.0)] {
            solver.decompose(zero, at: 0, shift: shift)
            var a = zero, b = zero
            solver.applyPowers(floor: floor, -0.5, into: &a, 1, into: &b, at: 0)
            for i in 0..<3 {
                for j in 0..<3 {
                    #expect(abs(a[i * 3 + j] - (i == j ? 0.5 : 0)) < 1e-14)
                    #expect(abs(b[i * 3 + j] - (i == j ? 4 : 0)) < 1e-14)
                }
            }
        }
    }
}
