import Foundation
import Testing

/// Issue 19: `bench grid --samplers all` works as written — without --preset, --spec or
/// --step-sizes it runs the tuning protocol on the quick preset's defaults and says which it
/// took — and `bench list` prints ids whole.
@Suite struct GridDefaultsTests {
    @Test func samplersAllWithoutStepSizesPrintsTheDefaultsItTakes() throws {
        let (code, out, err) = try bench(["grid", "--samplers", "all", "--dry-run"])
        #expect(code == 0, "\(err)")
        for text in ["quick preset's defaults", "samplers    all (", "eight-schools-noncentered", "every built-in but the BNNs",
                     "3 step sizes over a span of 30", "5 000 full-gradient equivalents", "seeds       1, 2",
                     "10 000 full-gradient equivalents per chain per final cell", "output      reports/latest (default)"] {
            #expect(out.contains(text), "dry run lacks '\(text)':\n\(out)")
        }
        #expect(!out.contains("bnn-uci-yacht"))
        // The estimate counts the cells the dry run's plan counts.
        let estimate = try #require(out.split(separator: "\n").first { $0.hasPrefix("  estimate    ") })
        let cells = try #require(estimate.split(separator: " ").compactMap { Int($0) }.first)
        #expect(cells > 500)
        #expect(out.contains("cells         \(cells): "), "\(out)")
    }

    @Test func explicitFlagsOverrideTheDefaults() throws {
        let (code, out, err) = try bench(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--seeds", "7,8,9",
                                          "--out", "/tmp/elsewhere", "--dry-run"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("samplers    sgld (given)"))
        #expect(out.contains("targets     std-normal-1d (given)"))
        #expect(out.contains("seeds       7, 8, 9 (final cells) (given)"))
        #expect(out.contains("output      /tmp/elsewhere (given)"))
        // Per noise model (none, isotropic): 3 sweep cells and 3 final seeds, and up to 4
        // extension cells of each swept pair.
        #expect(out.contains("noise       none, isotropic on targets with a noise model"), "\(out)")
        #expect(out.contains("estimate    12 cells"), "\(out)")
        #expect(out.contains("up to 8 more sweep cells"), "\(out)")
        // Step sizes still need steps; the message says what leaving them out does.
        let (bad, _, badErr) = try bench(["grid", "--samplers", "sgld", "--step-sizes", "0.1", "--dry-run"])
        #expect(bad == 64)
        #expect(badErr.contains("--steps") && badErr.contains("tuning protocol"), "\(badErr)")
    }

    @Test func aDefaultedGridRunsAndWritesItsReport() throws {
        let folder = try temporaryFolder().appendingPathComponent("out")
        let (code, out, err) = try bench(["grid", "--samplers", "sgld,exact", "--targets", "std-normal-1d",
                                          "--out", folder.path, "--jobs", "2"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("quick preset's defaults"))
        // Per noise model: sgld's 3 sweep cells, the extensions its choice asks for, 2 final
        // seeds; exact's 2 final seeds.
        #expect(out.contains("grid: 16 of 16 cells"), "\(out)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.pdf").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tuning.json").path))
    }

    /// The registered ids, from the accepted lists of `bench run`'s unknown-id errors (so this
    /// does not depend on how `bench list` lays them out).
    func registeredIDs(_ arguments: [String], after marker: String) throws -> [String] {
        let (_, _, err) = try bench(arguments)
        let line = try #require(err.split(separator: "\n").first { $0.contains(marker) })
        let accepted = try #require(line.range(of: "accepted: "))
        return line[accepted.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func listPrintsEveryRegisteredIDWhole() throws {
        let samplers = try registeredIDs(["run", "--sampler", "?", "--target", "funnel", "--steps", "1"], after: "unknown sampler")
        let targets = try registeredIDs(["run", "--sampler", "sgld", "--target", "?", "--steps", "1"], after: "unknown target")
        let diagnostics = try registeredIDs(["run", "--sampler", "sgld", "--target", "funnel", "--steps", "1", "--step-size", "1",
                                             "--diagnostics", "?"], after: "unknown diagnostic")
        #expect(samplers.count >= 20 && targets.count >= 13 && diagnostics.count >= 9)
        #expect(targets.contains("eight-schools-noncentered"))
        let (code, out, _) = try bench(["list"])
        #expect(code == 0)
        // Each id starts an entry line, followed by a space: whole, never cut.
        let entries = Set(out.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        })
        for id in samplers + targets + diagnostics {
            #expect(entries.contains(id), "bench list lacks the whole id '\(id)'")
        }
    }
}
