import Foundation
import Testing

/// Issue 16, items 6, 7, 9 and 10 (input validation): each reproduction through the built
/// executable gives a one-line error naming the bad value (exit 64/65, nothing on standard
/// output, no backtrace) or the right result.
@Suite struct InputValidationTests {
    func expectError(_ arguments: [String], status: Int32 = 64, mentions: [String]) throws {
        let (code, out, err) = try bench(arguments)
        #expect(code == status, "\(arguments): exit \(code), stderr: \(err)")
        #expect(out.isEmpty, "\(arguments) printed: \(out)")
        for text in mentions { #expect(err.contains(text), "\(arguments): stderr lacks '\(text)': \(err)") }
        #expect(!err.contains("Fatal error") && !err.contains("Stack dump") && !err.contains("Missing value"))
    }

    let run = ["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "100", "--step-size", "0.1"]

    // Item 6: storage grows with what is recorded; what cannot fit is refused up front.
    @Test func hugeMaxDrawsWithFewStepsRuns() throws {
        let (code, out, err) = try bench(["run", "--sampler", "sgld", "--target", "gaussian-iso", "--steps", "300",
                                          "--step-size", "0.01", "--max-draws", "100000000", "--diagnostics", "moments"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("moments.b2"))
    }

    @Test func drawsThatCannotFitAreRefusedBeforeRunning() throws {
        try expectError(["run", "--sampler", "sgld", "--target", "gaussian-iso", "--target-param", "dimension=100000",
                         "--steps", "1000000000", "--max-draws", "100000000", "--step-size", "0.01"],
                        mentions: ["storing the draws needs", "TB", "× d = 100000", "of memory", "lower --max-draws"])
    }

    // Item 7: a misspelt target before the dot of --target-param is an error, like --param's.
    @Test func misspeltTargetParamOwnerIsRejected() throws {
        try expectError(["grid", "--target-param", "std-nrml.noise=isotropic", "--dry-run"],
                        mentions: ["unknown target in --target-param 'std-nrml'", "accepted: std-normal-1d"])
        try expectError(["grid", "--target-param", "gaussain-iso.noise=isotropic", "--dry-run"],
                        mentions: ["did you mean 'gaussian-iso'"])
        try expectError(["grid", "--param", "sgdl.schedule-decay=0.5", "--dry-run"],
                        mentions: ["unknown sampler in --param 'sgdl'", "did you mean 'sgld'"])
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("grid.json")
        try #"{"stepSizes": [0.1], "steps": 10, "targetOptions": {"funel": {"dimension": 3}}}"#
            .write(to: spec, atomically: true, encoding: .utf8)
        try expectError(["grid", "--spec", spec.path, "--dry-run"], mentions: ["unknown target in targetOptions 'funel'", "'funnel'"])
    }

    /// Issue 27: the parameter names and values of a plugin outside the grid are checked too
    /// (they would otherwise pass silently and enter the spec hash), from a flag or a file.
    @Test func settingsOfPluginsOutsideTheGridAreChecked() throws {
        let grid = ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1", "--steps", "10", "--dry-run"]
        try expectError(grid + ["--target-param", "funnel.dimensoin=abc"],
                        mentions: ["unknown parameter of target funnel 'dimensoin'", "did you mean 'dimension'"])
        try expectError(grid + ["--target-param", "funnel.dimension=abc"], mentions: ["target funnel: invalid parameter dimension 'abc'"])
        try expectError(grid + ["--param", "sghmc.frictoin=1"], mentions: ["unknown parameter of sampler sghmc 'frictoin'", "accepted: alpha"])
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("grid.json")
        try #"{"samplers": ["sgld"], "targets": ["std-normal-1d"], "stepSizes": [0.1], "steps": 10, "variants": {"sghmc": [{"hyperparameters": {"alpha": -1}}]}}"#
            .write(to: spec, atomically: true, encoding: .utf8)
        try expectError(["grid", "--spec", spec.path, "--dry-run"], mentions: ["sampler sghmc: invalid parameter alpha '-1'"])
    }

    // Item 9: the progress line says which phase a cell is in, and when the report is written.
    @Test func progressShowsPhases() throws {
        let folder = try temporaryFolder()
        let (code, _, err) = try bench(["grid", "--samplers", "sgld", "--targets", "funnel", "--step-sizes", "0.01",
                                        "--steps", "500", "--out", folder.path, "--diagnostics", "moments,marginals"])
        #expect(code == 0, "\(err)")
        #expect(err.contains("[1/1] sgld|funnel|h=0.01|n=full|seed=1  sampling "), "\(err)")
        #expect(err.contains(" s, diagnostics "), "\(err)")
        #expect(err.contains("bench: writing the report (1 cells)"), "\(err)")
    }

    // Item 10.
    @Test func stepSizeForASamplerWithoutOneIsANote() throws {
        let (code, out, err) = try bench(["run", "--sampler", "exact", "--target", "std-normal-1d", "--steps", "200",
                                          "--step-size", "0.3", "--diagnostics", "moments"])
        #expect(code == 0, "\(err)")
        #expect(err.contains("note: sampler exact has no step size to set"), "\(err)")
        #expect(err.contains("step size 0.3 is ignored"))
        #expect(out.contains("moments.b2"))
    }

    /// A sampler that adapts its step size starts from its default when none is given, and
    /// says so; one with a fixed step size needs one.
    @Test func anAdaptingSamplerStartsFromItsDefaultAndSaysSo() throws {
        let (code, out, err) = try bench(["run", "--sampler", "mala", "--target", "std-normal-1d", "--steps", "200",
                                          "--diagnostics", "moments"])
        #expect(code == 0, "\(err)")
        #expect(err.contains("note: sampler mala adapts its step size in the warm-up; it starts from its default h₀ = 0.1, here 0.1"), "\(err)")
        #expect(out.contains("moments.b2"))
        try expectError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "100"],
                        mentions: ["sampler sgld", "step size", "--step-size H"])
    }

    @Test func negativeNumbersAreNamedNotMissing() throws {
        try expectError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "100", "--step-size", "-1"],
                        mentions: ["invalid step size '-1.0'", "> 0"])
        try expectError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "-5", "--step-size", "0.1"],
                        mentions: ["invalid steps '-5'", "≥ 1"])
        try expectError(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "-0.1",
                         "--steps", "100", "--dry-run"], mentions: ["invalid step size '-0.1'", "> 0"])
        try expectError(["run", "--sampler", "exact", "--target", "std-normal-1d", "--steps", "100", "--step-size", "-1"],
                        mentions: ["invalid step size '-1.0'", "> 0"])
    }

    @Test func emptySelectionsAreErrors() throws {
        try expectError(run + ["--diagnostics", ""], mentions: ["empty diagnostic selection"])
        try expectError(["grid", "--samplers", "", "--dry-run"], mentions: ["empty sampler selection"])
        try expectError(["grid", "--targets", " ", "--dry-run"], mentions: ["empty target selection"])
        try expectError(["grid", "--samplers", "sgld", "--diagnostics", "", "--dry-run"],
                        mentions: ["empty diagnostic selection"])
    }

    @Test func dryRunChecksEveryOption() throws {
        let dry = ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--dry-run"]
        try expectError(dry + ["--shard", "3/2"], mentions: ["invalid shard '3/2'", "1 ≤ K ≤ N"])
        try expectError(dry + ["--jobs", "0"], mentions: ["invalid --jobs '0'", "≥ 1"])
        try expectError(dry + ["--export-draws", "txt"], mentions: ["invalid --export-draws 'txt'", "npy or csv"])
    }

    @Test func targetWithoutParametersSaysSo() throws {
        try expectError(["run", "--sampler", "sgld", "--target", "sblri", "--steps", "10", "--step-size", "0.1",
                         "--target-param", "noise=isotropic"],
                        mentions: ["target sblri: invalid parameter 'noise'; accepted: none; this target has no parameters"])
    }

    @Test func exportIntoAMissingFolderFailsBeforeTheRun() throws {
        let missing = try temporaryFolder().appendingPathComponent("no/such/folder/draws.npy").path
        let start = Date()
        try expectError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "100000000", "--step-size", "0.1",
                         "--export-draws", missing], mentions: ["no/such/folder", "no such folder", "draws.npy"])
        #expect(Date().timeIntervalSince(start) < 30, "it ran first")
    }

    /// Issue 27: an export that fails on a full disk (a path that is a link to /dev/full, whose
    /// writes fail with ENOSPC) names the OS's reason, exit 74, and the run's metrics are
    /// still printed, as JSON and as a table.
    @Test func exportOntoAFullDiskKeepsTheMetricsAndSaysWhy() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let folder = try temporaryFolder()
        for (name, format) in [("draws.npy", ["--json"]), ("draws.csv", [])] {
            let path = folder.appendingPathComponent(name).path
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/full")
            let (code, out, err) = try bench(run + ["--diagnostics", "moments", "--export-draws", path] + format)
            #expect(code == 74, "exit \(code): \(err)")
            #expect(err.contains("\(path): cannot write the ") && err.contains("No space left on device (errno 28)"), "\(err)")
            #expect(out.contains("b2"), "the metrics were lost: \(out)")
        }
    }

    @Test func outOfRangeCSVNumberIsBadData() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("draws.csv")
        try "chain,x[1]\n0,0.5\n0,1e400\n0,-0.25\n".write(to: file, atomically: true, encoding: .utf8)
        try expectError(["diagnose", "--draws", file.path, "--target", "std-normal-1d"], status: 65,
                        mentions: [file.path, "line 3, column 2", "'1e400' is out of the range of a double"])
        // A written infinity is still a divergence, not an error.
        try "chain,x[1]\n0,0.5\n0,inf\n0,-0.25\n".write(to: file, atomically: true, encoding: .utf8)
        let (code, _, err) = try bench(["diagnose", "--draws", file.path, "--target", "std-normal-1d", "--diagnostics", "moments"])
        #expect(code == 0, "\(err)")
    }

    @Test func blownUpBNNIsDiverged() throws {
        let (code, out, err) = try bench(["run", "--sampler", "psgld", "--target", "bnn-uci-yacht", "--steps", "20",
                                          "--chains", "1", "--step-size", "0.1", "--diagnostics", "stability", "--json"])
        #expect(code == 0, "\(err)")
        #expect(out.contains(#""diverged":true"#), "\(out)")
    }
}
