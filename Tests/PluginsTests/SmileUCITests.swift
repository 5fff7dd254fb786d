import CGSL
import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// The SMILE paper's UCI regressions (`bnn-smile-*`): data, splits, standardisation and the
/// learned-σ gradient. The generic target suite (TargetSuiteTests) also checks their gradients
/// by finite differences and their minibatch gradients over an epoch and through the oracle.
@Suite struct SmileUCITests {
    /// SHA-256 against FIPS 180-4's examples ("abc", the empty string, two blocks).
    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// The shipped files load (checksums pass) with the sizes of data/smile-uci/README.md, and
    /// every split is 70/10/20, disjoint and covers every row.
    @Test func shippedDataAndSplits() throws {
        for (data, rows, p) in [(try SmileUCIDataSet.airfoil.get(), 1503, 5), (try SmileUCIDataSet.energy.get(), 768, 8),
                                (try SmileUCIDataSet.bikesharing.get(), 17379, 11)] {
            #expect(data.rows == rows && data.featureCount == p && data.target.count == rows)
            let sizes = SmileUCIDataSet.partSizes(rows: rows)
            #expect(sizes.train == Int(0.7 * Double(rows)) && sizes.valid + sizes.test == rows - sizes.train)
            for k in 0..<SmileUCIDataSet.splitCount {
                let (train, valid, test) = try data.split(k)
                #expect(train.count == sizes.train && valid.count == sizes.valid && test.count == sizes.test)
                #expect(Set(train + valid + test) == Set(0..<rows))
            }
        }
        // The sizes the authors' arithmetic gives (airfoil's 301 test rows: "256 of 301").
        #expect(SmileUCIDataSet.partSizes(rows: 1503) == (1052, 150, 301))
        #expect(SmileUCIDataSet.partSizes(rows: 768) == (537, 77, 154))
        #expect(SmileUCIDataSet.partSizes(rows: 17379) == (12165, 1738, 3476))
        // The three splits differ (three seeds).
        let energy = try SmileUCIDataSet.energy.get()
        #expect(try energy.split(0).train != energy.split(1).train)
    }

    /// A malformed copy is an error naming the file, line and column; a file that parses but
    /// is not the documented one fails its checksum; a split that repeats a row names its line.
    @Test func malformedCopiesAreNamed() throws {
        let folder = try scratchFolder("smile-uci")
        let original = try String(contentsOfFile: SmileUCIDataSet.folder() + "/energy.data", encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[4] = "0.98 514.5 294 oops 7 2 0 0 15.55"
        try lines.joined(separator: "\n").write(toFile: folder + "/energy.data", atomically: true, encoding: .utf8)
        #expect {
            _ = try SmileUCIDataSet.load("energy", directory: folder)
        } throws: { error in
            guard case let .malformedData(path, location, problem)? = error as? WorkbenchError else { return false }
            return path == folder + "/energy.data" && location == "line 5, column 4" && problem.contains("'oops'")
        }
        lines[4] = "0.98 514.5 294 110.25 7 2 0 0 15.56"
        try lines.joined(separator: "\n").write(toFile: folder + "/energy.data", atomically: true, encoding: .utf8)
        #expect {
            _ = try SmileUCIDataSet.load("energy", directory: folder)
        } throws: { error in
            guard case let .malformedData(path, _, problem)? = error as? WorkbenchError else { return false }
            return path == folder + "/energy.data" && problem.contains("SHA-256")
        }
        // Without the checksum the copy loads; a split whose valid part repeats a train row.
        let copy = try SmileUCIDataSet.load("energy", directory: folder, checksum: .some(nil))
        try FileManager.default.createDirectory(atPath: folder + "/splits", withIntermediateDirectories: true)
        let (train, valid, test) = try SmileUCIDataSet.energy.get().split(0)
        func write(_ rows: [Int], _ part: String) throws {
            try rows.map { "\($0)\n" }.joined().write(toFile: folder + "/splits/energy_split0_\(part).txt", atomically: true, encoding: .utf8)
        }
        try write(train, "train")
        try write([train[3]] + valid.dropFirst(), "valid")
        try write(test, "test")
        #expect {
            _ = try copy.split(0)
        } throws: { error in
            guard case let .malformedData(path, location, problem)? = error as? WorkbenchError else { return false }
            return path.hasSuffix("energy_split0_valid.txt") && location == "line 1, column 1" && problem.contains("twice")
        }
    }

    /// Whole-data standardisation: over all rows (train, valid and test together) every
    /// feature has mean 0 and sd 1 (divisor n), as does the target; test targets stay on the
    /// original scale and map back through the whole data's mean and sd.
    @Test func wholeDataStandardisation() throws {
        let data = try SmileUCIDataSet.airfoil.get()
        let (train, valid, test) = try data.split(1)
        let split = StandardisedSplit(wholeData: data.features, featureCount: data.featureCount, target: data.target,
                                      train: train, valid: valid, test: test)
        let p = data.featureCount, n = Double(data.rows)
        #expect(split.trainCount == 1052 && split.validCount == 150 && split.testCount == 301)
        let x = split.trainX + split.validX + split.testX
        for j in 0..<p {
            let column = stride(from: j, to: x.count, by: p).map { x[$0] }
            let mean = column.reduce(0, +) / n
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
            #expect(abs(mean) < 1e-12 && abs(variance - 1) < 1e-12, "feature \(j): mean \(mean), variance \(variance)")
        }
        let testStandardised = split.testY.map { ($0 - split.targetMean) / split.targetSD }
        let y = split.trainY + split.validY + testStandardised
        let mean = y.reduce(0, +) / n
        #expect(abs(mean) < 1e-12 && abs(y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n - 1) < 1e-12)
        let wholeMean = data.target.reduce(0, +) / n
        #expect(abs(split.targetMean - wholeMean) < 1e-12 * abs(wholeMean))
        #expect(split.testY == test.map { data.target[$0] })
        // Row order is the split's: the first train row is the file's row train[0].
        #expect(abs(split.trainX[0] - (data.features[train[0] * p] - Self.mean(data, 0)) / Self.sd(data, 0)) < 1e-12)
    }

    static func mean(_ data: SmileUCIDataSet, _ j: Int) -> Double {
        stride(from: j, to: data.features.count, by: data.featureCount).reduce(0) { $0 + data.features[$1] } / Double(data.rows)
    }

    static func sd(_ data: SmileUCIDataSet, _ j: Int) -> Double {
        let m = mean(data, j)
        let v = stride(from: j, to: data.features.count, by: data.featureCount)
            .reduce(0) { $0 + (data.features[$1] - m) * (data.features[$1] - m) } / Double(data.rows)
        return v.squareRoot()
    }

    /// The model as the authors define it: 16-16-16-1 with biases (d = p·16 + 16 + 2·272 + 17,
    /// plus log σ), batch 256, and U = ‖w‖²/2 + s²/2 + Σ_i [s + r_i²/(2e^{2s})] checked term by
    /// term at a point: the log σ prior is N(0, 1) on s itself, with no Jacobian.
    @Test func modelPotentialAndLogSigmaGradient() throws {
        let target = try #require(try makeTarget("bnn-smile-energy") as? BNNRegression)
        #expect(target.dimension == 8 * 16 + 16 + 2 * (16 * 16 + 16) + 17 + 1)
        #expect(target.defaultBatchSize == .size(256) && target.dataSize == 537)
        #expect(target.parameterNames.last == "log_sigma")
        var rng = Xoshiro256StarStar(seed: 3)
        var x = target.initialPoint(rng: &rng).map { $0 + 0.1 * rng.normal() }
        let sIndex = target.dimension - 1
        x[sIndex] = -0.7
        // U(s) − U(s′) for the same weights is (s² − s′²)/2 + N(s − s′) + (e^{−2s} − e^{−2s′}) SSE/2.
        var y = x
        y[sIndex] = 0.3
        let u = target.potential(at: x), v = target.potential(at: y)
        var z = x
        z[sIndex] = 0  // σ = 1: SSE/2 is U(z) − ‖w‖²/2
        let weights = x[0..<sIndex].reduce(0) { $0 + $1 * $1 } / 2
        let sse = 2 * (target.potential(at: z) - weights)
        let n = Double(target.dataSize)
        let expected = (0.49 - 0.09) / 2 + n * (-0.7 - 0.3) + (exp(1.4) - exp(-0.6)) * sse / 2
        #expect(abs((u - v) - expected) <= 1e-9 * max(1, abs(u)))
        // ∂U/∂s = s + Σ_i (1 − r_i² e^{−2s}) = s + N − e^{−2s} SSE, against a central difference.
        var g = [Double](repeating: 0, count: target.dimension)
        target.potentialGradient(at: x, into: &g)
        #expect(abs(g[sIndex] - (-0.7 + n - exp(1.4) * sse)) <= 1e-9 * max(1, abs(g[sIndex])))
        let h = 1e-5
        var up = x, down = x
        up[sIndex] += h
        down[sIndex] -= h
        let central = (target.potential(at: up) - target.potential(at: down)) / (2 * h)
        #expect(abs(central - g[sIndex]) <= 1e-6 * max(1, abs(g[sIndex])))
    }
}
