import Testing

/// Issue 18: typed options. `--help` lists the accepted values of a choice; a refused value is
/// one line naming it and what is accepted (exit 64); a step size given to a sampler without
/// one is a note in every command that takes one, never silent.
@Suite struct TypedOptionTests {
    @Test func helpListsAcceptedValues() throws {
        let (code, help, _) = try bench(["run", "--help"])
        #expect(code == 0)
        // The help wraps at the terminal's width: compare with runs of white space as one space.
        let out = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(out.contains("--batch-size <n|full|default>"), "\(out)")
        #expect(out.contains("values: iid, epoch"), "\(out)")
        #expect(out.contains("values: target, zero, ensemble"), "\(out)")
        let grid = try bench(["grid", "--help"])
        #expect(grid.out.contains("--batch-sizes <n|full|default,…>"), "\(grid.out)")
    }

    @Test func refusedValuesAreOneLine() throws {
        let run = ["run", "--sampler", "sgld", "--target", "std-normal-1d", "--steps", "10", "--step-size", "0.1"]
        for (option, value, accepted) in [("--batch-size", "0", "n|full|default"), ("--batching", "shuffled", "'iid' and 'epoch'"),
                                          ("--start", "origin", "'target', 'zero' or 'ensemble'")] {
            let (code, out, err) = try bench(run + [option, value])
            #expect(code == 64, "\(option) \(value): exit \(code), \(err)")
            #expect(out.isEmpty)
            #expect(err.hasPrefix("bench: error: ") && err.contains("'\(value)'") && err.contains(accepted), "\(err)")
            #expect(err.split(separator: "\n").count == 1, "not one line: \(err)")
        }
    }

    @Test func stepSizeWithoutUseIsANoteInGrid() throws {
        let (code, _, err) = try bench(["grid", "--samplers", "sgld,mala,exact", "--targets", "std-normal-1d", "--step-sizes", "0.1",
                                        "--steps", "100", "--dry-run"])
        #expect(code == 0, "\(err)")
        #expect(err.contains("note: exact has no step size to set; mala adapts its own from its default; --step-sizes applies to the other samplers"), "\(err)")
        let quiet = try bench(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1",
                               "--steps", "100", "--dry-run"])
        #expect(!quiet.err.contains("note:"), "\(quiet.err)")
    }

    @Test func stepSizeWithoutUseIsANoteInReference() throws {
        // Too few steps to pass the bar: refused after the note, before anything is written.
        let (code, _, err) = try bench(["reference", "--target", "std-normal-1d", "--sampler", "exact", "--step-size", "0.3",
                                        "--steps", "10"], environment: ["SGMCMC_REFERENCES": try temporaryFolder().path])
        #expect(code != 0)
        #expect(err.contains("note: sampler exact has no step size to set"), "\(err)")
        #expect(err.contains("step size 0.3 is ignored"), "\(err)")
    }
}
