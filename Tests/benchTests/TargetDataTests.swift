import Foundation
import Testing

/// What a user sees from the command line when a target's data file is bad, and from
/// `bench reference`.
@Suite struct TargetDataTests {
    /// The package root (three levels above this file: Tests/benchTests/).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A copy of data/ under a scratch root whose yacht data has a non-numeric field on line 5,
    /// column 3: `bench run` stops with exit 65 and names the file, line and column.
    @Test func aCorruptDataFileIsExit65WithLineAndColumn() throws {
        let scratch = try temporaryFolder()
        let uci = scratch.appendingPathComponent("data/uci")
        try FileManager.default.createDirectory(at: uci, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("data/uci/yacht"), to: uci.appendingPathComponent("yacht"))
        let dataFile = uci.appendingPathComponent("yacht/data.txt")
        var lines = try String(contentsOf: dataFile, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[4].split(separator: " ").map(String.init)
        fields[2] = "abc"
        lines[4] = fields.joined(separator: " ")
        try lines.joined(separator: "\n").write(to: dataFile, atomically: true, encoding: .utf8)
        let (code, _, err) = try bench(
            ["run", "--sampler", "sgld", "--target", "bnn-uci-yacht", "--steps", "10", "--step-size", "1e-5"],
            environment: ["SGMCMC_WORKBENCH_ROOT": scratch.path])
        #expect(code == 65)
        #expect(err.contains("yacht/data.txt: line 5, column 3: 'abc' is not a number"), "\(err)")
        try FileManager.default.removeItem(at: dataFile)
        let (missing, _, missingErr) = try bench(
            ["run", "--sampler", "sgld", "--target", "bnn-uci-yacht", "--steps", "10", "--step-size", "1e-5"],
            environment: ["SGMCMC_WORKBENCH_ROOT": scratch.path])
        #expect(missing == 65 && missingErr.contains("data.txt: whole file: the data file is missing"), "\(missingErr)")
    }

    /// `bench reference` caches draws that pass the bar (exact draws of the banana) and
    /// refuses, with exit 1 and the failing numbers, draws that do not.
    @Test func benchReferenceCachesOrRefuses() throws {
        let scratch = try temporaryFolder()
        let env = ["SGMCMC_REFERENCES": scratch.path]
        let (code, out, err) = try bench(
            ["reference", "--target", "banana", "--sampler", "exact", "--steps", "2600", "--warmup", "0"], environment: env)
        #expect(code == 0, "\(err)")
        #expect(out.contains("passed posteriordb's bar") && out.contains("10000 draws (4 chains × 2500"))
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent("banana").path)
        #expect(files.filter { $0.hasSuffix(".json") }.count == 1 && files.filter { $0.hasSuffix(".npy") }.count == 1)
        let (refused, _, refusedErr) = try bench(
            ["reference", "--target", "banana", "--sampler", "sgld", "--step-size", "0.001", "--steps", "3000"], environment: env)
        #expect(refused == 1)
        #expect(refusedErr.contains("reference rejected: banana by sgld: R̂(x[1]) = "), "\(refusedErr)")
    }

    /// `bench gradient-cost` prints one row per target with its µs per gradient.
    @Test func gradientCostPrintsARowPerTarget() throws {
        let (code, out, err) = try bench(["gradient-cost", "--targets", "banana,sblri", "--seconds", "0.01"])
        #expect(code == 0, "\(err)")
        let rows = out.split(separator: "\n").filter { $0.hasPrefix("banana") || $0.hasPrefix("sblri") }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { Double($0.split(separator: " ").dropLast().last ?? "") != nil })
    }
}
