import Testing

/// User mistakes give one line on standard error naming the bad value and what is accepted,
/// exit status 64 (usage) or 65 (bad data), and no stack trace.
@Suite struct UsageErrorTests {
    func expectUsageError(_ arguments: [String], status: Int32 = 64, mentions: [String]) throws {
        let (code, out, err) = try bench(arguments)
        #expect(code == status, "\(arguments): exit \(code), stderr: \(err)")
        #expect(out.isEmpty)
        for text in mentions { #expect(err.contains(text), "\(arguments): stderr lacks '\(text)': \(err)") }
        #expect(!err.contains("Fatal error") && !err.contains("Stack dump"))
    }

    @Test func unknownSamplerSuggestsTheClosestID() throws {
        try expectUsageError(["run", "--sampler", "sgdl", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0.1"],
                             mentions: ["unknown sampler 'sgdl'", "did you mean 'sgld'", "accepted: sgld, sgld-cv,", ", exact"])
    }

    @Test func unknownTargetListsTheTargets() throws {
        try expectUsageError(["run", "--sampler", "sgld", "--target", "funnel", "--steps", "10", "--step-size", "0.1"],
                             mentions: ["unknown target 'funnel'", "std-normal-1d"])
    }

    @Test func nonPositiveStepSizeIsNamed() throws {
        try expectUsageError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "10", "--step-size=-0.5"],
                             mentions: ["step size", "-0.5", "> 0"])
        try expectUsageError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0"],
                             mentions: ["step size", "'0.0'", "> 0"])
    }

    @Test func badHyperparameterIsNamed() throws {
        try expectUsageError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0.1",
                              "--param", "schedule-decay=2"],
                             mentions: ["sampler sgld", "schedule-decay", "[0, 1]"])
        try expectUsageError(["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0.1",
                              "--target-param", "noise=loud"],
                             mentions: ["target std-normal-1d", "noise", "isotropic"])
    }

    /// Langevin-family hyperparameters through `--param`: a negative decay and a zero λ name the
    /// sampler, the parameter and its range.
    @Test func badLangevinHyperparametersAreNamed() throws {
        try expectUsageError(["run", "--sampler", "psgld", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0.1",
                              "--param", "alpha=-0.1"],
                             mentions: ["sampler psgld", "parameter alpha", "'-0.1'", "[0, 1]"])
        try expectUsageError(["run", "--sampler", "psgld-gamma", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0.1",
                              "--param", "lambda=0"],
                             mentions: ["sampler psgld-gamma", "parameter lambda", "(0, "])
        try expectUsageError(["run", "--sampler", "adam-sgld", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0",
                              "--param", "beta1=0.5"],
                             mentions: ["sampler adam-sgld", "step size"])
    }

    @Test func missingReportFolderIsNamed() throws {
        try expectUsageError(["report", "/nonexistent/grid"], mentions: ["/nonexistent/grid/grid.json"])
    }

    @Test func malformedGridSpecIsBadData() throws {
        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("grid.json")
        try #"{"stepSizes": [0.1], "steps": "many"}"#.write(to: spec, atomically: true, encoding: .utf8)
        try expectUsageError(["grid", "--spec", spec.path, "--out", folder.path], status: 65,
                             mentions: [spec.path, "steps"])
    }

    @Test func unknownPresetIsNamed() throws {
        try expectUsageError(["grid", "--preset", "quik"], mentions: ["unknown preset 'quik'", "did you mean 'quick'"])
    }
}
