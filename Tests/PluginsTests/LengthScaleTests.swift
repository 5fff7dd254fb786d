import Foundation
import Testing
@testable import Plugins
import Workbench

/// The length scales the tuning protocol centres its sweeps on (`Target.lengthScale`).
@Suite struct LengthScaleTests {
    /// The rotated ill-conditioned Gaussian's narrowest axis is c_min = 0.1 (κ = 100), which its
    /// marginal standard deviations, mixtures of all axes, overstate.
    @Test func illConditionedGaussianUsesItsNarrowestAxis() throws {
        let target = try makeTarget("gaussian-illcond")
        #expect(abs(target.lengthScale - 0.1) < 1e-12)
        #expect(target.reference.standardDeviation.min()! > 0.1)
        #expect(try makeTarget("gaussian-illcond", ["noise": .text("anisotropic")]).lengthScale == target.lengthScale)
    }

    /// Targets recorded on the model scale take the smallest sampling-scale standard deviation
    /// of their reference draws: for sblri the coordinates are β (the same on both scales) and
    /// log σ.
    @Test func modelScaleTargetsMeasureTheirDrawsOnTheSamplingScale() throws {
        let target = try makeTarget("sblri")
        let draws = try #require(target.reference.draws)
        let m = target.recordedDimension, n = target.reference.drawCount
        func sd(_ values: [Double]) -> Double {
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        let sds = (0..<m).map { i in
            sd((0..<n).map { k in i == m - 1 ? log(draws[k * m + i]) : draws[k * m + i] })
        }
        #expect(abs(target.lengthScale - sds.min()!) < 1e-12 * sds.min()!)
        let schools = try makeTarget("eight-schools-noncentered").lengthScale
        #expect(schools > 0.1 && schools < 1.5)
    }

    /// BNNs declare σ/√N (regression) and 1/√N (classification), whether or not a reference
    /// is cached.
    @Test func bnnsDeclareTheirScale() throws {
        let yacht = try makeTarget("bnn-uci-yacht", ["width": .number(3)])
        #expect(abs(yacht.lengthScale - 0.5 / Double(yacht.dataSize).squareRoot()) < 1e-15)
        let wine = try makeTarget("bnn-classify", ["width": .number(3)])
        #expect(abs(wine.lengthScale - 1 / Double(wine.dataSize).squareRoot()) < 1e-15)
    }
}
