import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// A fresh folder for a test's reference cache.
func scratchFolder(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(name)-\(UUID())").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct ReferenceCacheTests {
    static let provenance = Provenance(revision: "test", toolchain: "", libraries: [:], host: "", date: "")

    /// `exact` on the funnel passes the bar; the cached draws read back with the same moments,
    /// their metadata records sampler, seed and the checks; a tampered draws file is refused.
    @Test func buildCheckCacheAndRefuseTampering() throws {
        let folder = try scratchFolder("cache")
        try ReferenceCache.$directoryOverride.withValue(folder) {
            let settings = ReferenceBuildSettings(sampler: "exact", stepSize: nil, seed: 3, chains: 4, steps: 2_600, warmup: 0)
            let (metadata, path) = try ReferenceBuilder(registry: .builtin).build(
                targetID: "funnel", options: [:], settings: settings, provenance: Self.provenance)
            #expect(metadata.quality.passed && metadata.quality.draws == 10_000 && metadata.chains == 4)
            #expect(metadata.sampler == "exact" && metadata.seed == 3 && metadata.provenance.revision == "test")
            #expect(metadata.quality.maximumRhat! < 1.01 && metadata.quality.maximumAbsoluteLag1! < 0.05)
            let target = try makeTarget("funnel")
            let loaded = try #require(try ReferenceCache.load(for: target, options: metadata.options))
            #expect(loaded.0.drawCount == 10_000 && loaded.0.kind == .draws)
            // E[v] = 0 and Var[v] = 9: the cached draws are the funnel's.
            #expect(abs(loaded.0.mean[0]) < 5 * (9.0 / 10_000).squareRoot())
            #expect(abs(loaded.0.variance[0] / 9 - 1) < 5 * (2.0 / 10_000).squareRoot())
            // Flip one byte of the draws: the checksum no longer matches and the load is refused.
            let npy = String(path.dropLast(5)) + ".npy"
            var bytes = try #require(FileManager.default.contents(atPath: npy))
            bytes[bytes.count - 3] ^= 0x40
            try bytes.write(to: URL(fileURLWithPath: npy))
            #expect {
                _ = try ReferenceCache.load(for: target, options: metadata.options)
            } throws: { error in
                guard case let .malformedData(p, _, problem)? = error as? WorkbenchError else { return false }
                return p == npy && problem.contains("checksum") && (error as! WorkbenchError).exitCode == 65
            }
        }
    }

    /// Draws that miss the bar are refused with the failing numbers, and nothing is cached:
    /// sgld at a small step on the funnel is far too autocorrelated, and 3 chains are too few.
    @Test func failingDrawsAreRefused() throws {
        let folder = try scratchFolder("refuse")
        try ReferenceCache.$directoryOverride.withValue(folder) {
            let settings = ReferenceBuildSettings(sampler: "sgld", stepSize: 0.01, seed: 1, chains: 3, steps: 4_000)
            #expect {
                _ = try ReferenceBuilder(registry: .builtin).build(
                    targetID: "funnel", options: [:], settings: settings, provenance: Self.provenance)
            } throws: { error in
                guard case let .referenceRejected(text)? = error as? WorkbenchError else { return false }
                return text.contains("3 chains, need ≥ 4") && text.contains("R̂(v) = ") && text.contains("lag-1")
            }
            let written = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(written.isEmpty)
        }
    }

    /// A BNN picks up its cached reference when it is built (here draws fabricated for a
    /// width-2 network, stored through the cache with their own passing checks), and refuses
    /// a cache whose recorded checks fail.
    @Test func bnnLoadsItsCachedReference() throws {
        let folder = try scratchFolder("bnn")
        let options: [String: ParameterValue] = ["width": .number(2), "split": .number(4)]
        try ReferenceCache.$directoryOverride.withValue(folder) {
            let (target, resolved) = try Registry.builtin.target("bnn-uci-yacht").make(options: options)
            #expect(!target.reference.isAvailable)
            let d = target.recordedDimension
            var rng = Xoshiro256StarStar(seed: 2)
            let chains = (0..<4).map { _ in (0..<(2_500 * d)).map { _ in rng.normal() } }
            let quality = ReferenceQuality(chains: chains, names: target.recordedParameterNames)
            #expect(quality.passed, "\(quality.failures)")
            var metadata = CachedReference(
                target: "bnn-uci-yacht", options: resolved.values,
                fingerprint: ReferenceCache.fingerprint(of: target, options: resolved.values),
                parameterNames: target.recordedParameterNames, sampler: "fabricated", hyperparameters: [:], stepSize: nil,
                seed: 2, chains: 4, steps: 2_500, warmup: 0, stepsBetweenDraws: 1, drawsPerChain: 2_500,
                drawsChecksum: "", wallSeconds: 0, provenance: Self.provenance, quality: quality)
            try ReferenceCache.store(metadata, draws: chains.flatMap { $0 })
            let rebuilt = try Registry.builtin.target("bnn-uci-yacht").make(options: options).0
            #expect(rebuilt.reference.isAvailable && rebuilt.reference.drawCount == 10_000)
            #expect(!(try Registry.builtin.target("bnn-uci-yacht").make(options: [:]).0.reference.isAvailable))
            // The same draws recorded with a failing check are refused.
            let failing = ReferenceQuality(chains: chains.map { Array($0.prefix(100 * d)) }, names: target.recordedParameterNames)
            metadata.quality = failing
            try ReferenceCache.store(metadata, draws: chains.flatMap { $0 })
            #expect(throws: WorkbenchError.self) { try Registry.builtin.target("bnn-uci-yacht").make(options: options) }
        }
    }

    /// BNN references are checked in function space: the bar names test-set predictions and σ,
    /// not weights, and the functionals match the target's own test predictions.
    @Test func bnnReferencesAreCheckedOnPredictions() throws {
        let folder = try scratchFolder("bnn-functionals")
        let options: [String: ParameterValue] = ["width": .number(3), "noise": .text("learned")]
        let target = try #require(try makeTarget("bnn-uci-yacht", options) as? BNNRegression)
        #expect(target.referenceFunctionalNames.count == 31 + 1 && target.referenceFunctionalNames.last == "sigma")
        var rng = Xoshiro256StarStar(seed: 4)
        let theta = TargetSuiteTests.randomPoint(target, rng: &rng)
        var values = [Double](repeating: 0, count: 32)
        let phi = target.modelScale.toModel(theta)
        target.referenceFunctionals(ofRecorded: phi, into: &values)
        guard case let .regression(mean, sd) = target.testPredictions(at: phi) else {
            Issue.record("a regression target predicts means and sds")
            return
        }
        #expect(zip(values.prefix(31), mean).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) })
        #expect(abs(values[31] * target.data.targetSD - sd[0]) < 1e-12)
        try ReferenceCache.$directoryOverride.withValue(folder) {
            let settings = ReferenceBuildSettings(sampler: "sgld", stepSize: 1e-5, seed: 1, chains: 4, steps: 400)
            #expect {
                _ = try ReferenceBuilder(registry: .builtin).build(
                    targetID: "bnn-uci-yacht", options: options, settings: settings, provenance: Self.provenance)
            } throws: { error in
                guard case let .referenceRejected(text)? = error as? WorkbenchError else { return false }
                return text.contains("R̂(f(x_test[") && !text.contains("R̂(W1")
            }
        }
    }

    /// Thinning meets the lag-1 bar: an AR(1) chain with ρ = 0.9 needs k with 0.9^k < 0.05,
    /// i.e. k = 29 (0.9²⁹ = 0.047); the chosen thinning is near it, and its draws pass.
    @Test func thinningMeetsTheAutocorrelationBar() {
        var rng = Xoshiro256StarStar(seed: 8)
        let chains = (0..<4).map { _ -> [Double] in
            var x = rng.normal(), out: [Double] = []
            for _ in 0..<100_000 {
                x = 0.9 * x + (1 - 0.81).squareRoot() * rng.normal()
                out.append(x)
            }
            return out
        }
        let (thinned, quality) = ReferenceQuality.thinnedToBar(chains: chains, names: ["x"])
        #expect(quality.passed, "\(quality.failures)")
        #expect((20...40).contains(quality.thinning))
        #expect(thinned.allSatisfy { $0.count == 2_500 })
    }
}

@Suite struct BadDataTests {
    func malformed(_ text: String, separator: NumericTable.Separator = .whitespace, headerLines: Int = 0) -> (String, String)? {
        do {
            _ = try NumericTable.parse(text, path: "bad.txt", separator: separator, headerLines: headerLines)
            return nil
        } catch let error as WorkbenchError {
            guard case let .malformedData(path, location, problem) = error, path == "bad.txt", error.exitCode == 65 else { return nil }
            return (location, problem)
        } catch {
            return nil
        }
    }

    @Test func raggedNonNumericAndNaNAreNamedByLineAndColumn() throws {
        #expect(malformed("1 2 3\n4 5 6\n7 8\n")?.0 == "line 3, column 3")
        #expect(malformed("1 2 3\n4 5 6 7\n")?.0 == "line 2, column 4")
        let word = try #require(malformed("1,2\n3,abc\n", separator: .comma))
        #expect(word.0 == "line 2, column 2" && word.1.contains("'abc' is not a number"))
        let nan = try #require(malformed("h\n1 2\n3 NaN\n", headerLines: 1))
        #expect(nan.0 == "line 3, column 2" && nan.1.contains("not a finite number"))
        #expect(malformed("1 inf\n")?.0 == "line 1, column 2")
        #expect(malformed("1 2\n\n3 4\n")?.0 == "line 2, column 1")
        #expect(malformed("1,,2\n", separator: .comma)?.0 == "line 1, column 2")
        #expect(malformed("")?.0 == "whole file")
        // Accepted: CRLF, tabs, trailing blank lines.
        let ok = try NumericTable.parse("1\t2\r\n3  4\r\n\n\n", path: "ok.txt")
        #expect(ok.rows == 2 && ok.columns == 2 && ok.values == [1, 2, 3, 4])
    }

    @Test func missingFilesAndBadIndicesAreErrors() throws {
        let folder = try scratchFolder("uci")
        #expect {
            _ = try UCIDataSet.load("yacht", directory: folder)
        } throws: { error in
            guard case let .malformedData(path, _, problem)? = error as? WorkbenchError else { return false }
            return path == folder + "/data.txt" && problem.contains("missing")
        }
        try "1 2 3\n4 5 6\n".write(toFile: folder + "/data.txt", atomically: true, encoding: .utf8)
        try "0\n1\n".write(toFile: folder + "/index_features.txt", atomically: true, encoding: .utf8)
        try "7\n".write(toFile: folder + "/index_target.txt", atomically: true, encoding: .utf8)
        #expect {
            _ = try UCIDataSet.load("yacht", directory: folder)
        } throws: { error in
            guard case let .malformedData(path, location, _)? = error as? WorkbenchError else { return false }
            return path.hasSuffix("index_target.txt") && location == "line 1, column 1"
        }
        try "2\n".write(toFile: folder + "/index_target.txt", atomically: true, encoding: .utf8)
        let data = try UCIDataSet.load("yacht", directory: folder)
        #expect(data.features == [1, 2, 4, 5] && data.target == [3, 6])
        try "0\n1\n".write(toFile: folder + "/index_train_0.txt", atomically: true, encoding: .utf8)
        try "1\n".write(toFile: folder + "/index_test_0.txt", atomically: true, encoding: .utf8)
        #expect(throws: WorkbenchError.self) { try data.split(0) }  // row 1 in both splits
        let wine = folder + "/wine.csv"
        try "178,13,a,b,c\n" .appending(String(repeating: "1,", count: 13) + "5\n").write(toFile: wine, atomically: true, encoding: .utf8)
        #expect {
            _ = try WineDataSet.load(path: wine)
        } throws: { error in
            guard case let .malformedData(_, location, problem)? = error as? WorkbenchError else { return false }
            return location == "line 2, column 14" && problem.contains("not a class")
        }
    }

    /// The shipped data load: the UCI sizes of data/README.md, and 20 disjoint 90/10 splits.
    @Test func shippedDataLoad() throws {
        let yacht = try UCIDataSet.yacht.get(), energy = try UCIDataSet.energy.get(), concrete = try UCIDataSet.concrete.get()
        #expect(yacht.rows == 308 && yacht.featureCount == 6)
        #expect(energy.rows == 768 && energy.featureCount == 8)
        #expect(concrete.rows == 1030 && concrete.featureCount == 8)
        for k in [0, 19] {
            let (train, test) = try yacht.split(k)
            #expect(train.count == 277 && test.count == 31)
        }
        let wine = try WineDataSet.shared.get()
        #expect(wine.rows == 178 && wine.labels.filter { $0 == 1 }.count == 71)
    }
}
