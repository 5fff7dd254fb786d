import Foundation
import Testing

/// The guarantees of a results folder (docs/RESULTS.md) through the built executable: its
/// spec is its identity, it is locked while written, commands never overwrite their inputs,
/// compare never passes vacuously, duplicates are errors, unfinished cells are reported.
@Suite struct ResultsFolderTests {
    let small = ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1", "--steps", "2000",
                 "--seeds", "1", "--chains", "2", "--jobs", "1"]

    /// `small` with `flag` set to `value`.
    func small(_ flag: String, _ value: String) -> [String] {
        var arguments = small
        if let i = arguments.firstIndex(of: flag) { arguments[i + 1] = value } else { arguments += [flag, value] }
        return arguments
    }

    func file(_ folder: URL, _ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    func lines(_ folder: URL) throws -> [String] {
        try String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], to folder: URL) throws {
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)
    }

    /// Item 1: a resume with another spec is refused naming the field, old and new value, and
    /// leaves grid.json byte for byte; settings outside the spec (--jobs) may change.
    @Test func resumeWithAnotherSpecIsRefusedBeforeWritingAnything() throws {
        let folder = try temporaryFolder()
        let first = try bench(small + ["--out", folder.path])
        #expect(first.status == 0, "\(first.err)")
        let manifest = try file(folder, "grid.json"), results = try file(folder, "results.jsonl")
        let hash = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])["specHash"] as? String
        #expect(hash?.count == 16)
        #expect(try lines(folder).allSatisfy { $0.contains("\"specHash\":\"\(hash ?? "")\"") })

        let changes: [([String], String)] = [
            (["--steps", "4000"], "steps was 2000, now 4000"),
            (["--chains", "3"], "chains was 2, now 3"),
            (["--warmup", "100"], "warmup was (absent), now 100"),
            (["--diagnostics", "moments"], "diagnostics was [\"all\"], now [\"moments\"]"),
            (["--param", "sgld.schedule-decay=0.55"], "hyperparameters was {}, now {\"sgld\":{\"schedule-decay\":0.55}}"),
            (["--seeds", "2"], "seeds was [1], now [2]"),
        ]
        for (flags, named) in changes {
            let (code, _, err) = try bench(small + flags + ["--out", folder.path, "--resume"])
            #expect(code == 64, "\(flags): \(err)")
            #expect(err.contains(named), "\(flags): \(err)")
            #expect(try file(folder, "grid.json") == manifest, "\(flags) rewrote grid.json")
            #expect(try file(folder, "results.jsonl") == results)
        }
        let again = try bench(small + ["--jobs", "2", "--out", folder.path, "--resume"])
        #expect(again.status == 0 && again.out.contains("1 already done"), "\(again.err)")

        // A line of another grid is an error in report and resume, naming the line.
        var edited = try lines(folder)
        edited[0] = edited[0].replacingOccurrences(of: hash ?? "-", with: "0123456789abcdef")
        try write(edited, to: folder)
        for arguments in [["report", folder.path], small + ["--out", folder.path, "--resume"]] {
            let (code, _, err) = try bench(arguments)
            #expect(code == 65 && err.contains("line 1") && err.contains("belongs to another grid"), "\(arguments[0]): \(err)")
        }
    }

    /// Item 2: a second grid on a locked folder fails at once naming the holder's pid; the
    /// lock of a process killed with SIGKILL is taken over.
    @Test func aSecondGridOnALockedFolderFailsAtOnceAndAKilledOnesLockIsTakenOver() throws {
        let folder = try temporaryFolder()
        let long = Process()
        long.executableURL = productsDirectory.appendingPathComponent("bench")
        long.arguments = small("--steps", "50000000") + ["--out", folder.path]
        long.standardOutput = FileHandle.nullDevice
        long.standardError = FileHandle.nullDevice
        try long.run()
        defer { if long.isRunning { kill(long.processIdentifier, SIGKILL); long.waitUntilExit() } }
        let lockFile = folder.appendingPathComponent(".bench.lock")
        let deadline = Date().addingTimeInterval(30)
        while (try? String(contentsOf: lockFile, encoding: .utf8))?.isEmpty ?? true, Date() < deadline { usleep(20_000) }
        let pid = long.processIdentifier
        #expect(try String(contentsOf: lockFile, encoding: .utf8) == "\(pid)\n")

        let start = Date()
        let second = try bench(small + ["--out", folder.path])
        #expect(second.status == 75, "\(second.err)")
        #expect(second.err.contains("in use by another bench process (pid \(pid))"), "\(second.err)")
        #expect(Date().timeIntervalSince(start) < 10)
        let report = try bench(["report", folder.path])
        #expect(report.status == 75 && report.err.contains("pid \(pid)"), "\(report.err)")

        kill(pid, SIGKILL)
        long.waitUntilExit()
        let after = try bench(small + ["--out", folder.path])
        #expect(after.status == 0, "\(after.err)")
        #expect(after.err.contains("locked by pid \(pid), which is gone"), "\(after.err)")
        #expect(try String(contentsOf: lockFile, encoding: .utf8).isEmpty, "a finished run leaves no pid behind")
    }

    /// Item 3: baseline and merge refuse an output folder that is one of their inputs, by
    /// resolved path; the input stays as it was.
    @Test func baselineAndMergeNeverOverwriteTheirInputs() throws {
        let folder = try temporaryFolder()
        #expect(try bench(small + ["--out", folder.path]).status == 0)
        let results = try file(folder, "results.jsonl")
        let link = folder.deletingLastPathComponent().appendingPathComponent("link-\(UUID())")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: folder)
        defer { try? FileManager.default.removeItem(at: link) }
        for out in [folder.path, folder.path + "/.", link.path] {
            let baseline = try bench(["baseline", folder.path, "--out", out])
            #expect(baseline.status == 64 && baseline.err.contains("never overwrites its inputs"), "\(baseline.err)")
            let merge = try bench(["merge", folder.path, "--out", out])
            #expect(merge.status == 64 && merge.err.contains("never overwrites its inputs"), "\(merge.err)")
        }
        #expect(try file(folder, "results.jsonl") == results)
        // No temporary file is left behind by the atomic writes.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.contains(".tmp") }, "\(names)")
    }

    /// Item 4: compare exits 3 on grids without a shared configuration and on missing ones
    /// (unless --allow-missing), and 1 when a seed newly crashes.
    @Test func compareNeverPassesVacuously() throws {
        let a = try temporaryFolder(), b = try temporaryFolder(), ab = try temporaryFolder()
        #expect(try bench(small + ["--out", a.path]).status == 0)
        #expect(try bench(small("--targets", "gaussian-corr-2d") + ["--out", b.path]).status == 0)
        #expect(try bench(small("--step-sizes", "0.1,0.05") + ["--out", ab.path]).status == 0)
        let disjoint = try bench(["compare", a.path, b.path])
        #expect(disjoint.status == 3 && disjoint.err.contains("share no configuration"), "\(disjoint.err)")
        #expect(try bench(["compare", a.path, b.path, "--allow-missing"]).status == 3)
        let missing = try bench(["compare", ab.path, a.path])
        #expect(missing.status == 3 && missing.err.contains("1 configurations only in"), "\(missing.err)")
        #expect(try bench(["compare", ab.path, a.path, "--allow-missing"]).status == 0)
        #expect(try bench(["compare", "--help"]).out.contains("3 the runs are not comparable"))
        let ontoInput = try bench(["compare", a.path, ab.path, "--allow-missing", "--out", ab.appendingPathComponent("results.jsonl").path])
        #expect(ontoInput.status == 64 && ontoInput.err.contains("never overwrites its inputs"), "\(ontoInput.err)")

        // The seed of a's only configuration crashes in a copy: worse, whatever the metrics.
        let crashed = try temporaryFolder()
        try FileManager.default.copyItem(at: a.appendingPathComponent("grid.json"), to: crashed.appendingPathComponent("grid.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: Data(try lines(a)[0].utf8)) as? [String: Any])
        object["status"] = "crashed"
        object["message"] = "signal 9"
        object["metrics"] = []
        try write([String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)], to: crashed)
        let worse = try bench(["compare", a.path, crashed.path])
        #expect(worse.status == 1 && worse.err.contains("crashed"), "\(worse.err)")
    }

    /// Item 5: duplicate ids are refused at parse time naming the value; a key on two lines
    /// of results.jsonl is an error naming the lines, in report and resume alike.
    @Test func duplicatesAreErrors() throws {
        let cases: [(String, String, String)] = [
            ("--samplers", "sgld,sgld", "'sgld' is listed twice"), ("--seeds", "1,1", "'1' is listed twice"),
            ("--targets", "std-normal-1d,std-normal-1d", "'std-normal-1d' is listed twice"),
            ("--step-sizes", "0.1,0.10", "'0.1' is listed twice"), ("--batch-sizes", "full,full", "'full' is listed twice"),
            ("--diagnostics", "ess,moments,ess", "'ess' is listed twice"),
        ]
        for (flag, value, named) in cases {
            let (code, _, err) = try bench(small(flag, value) + ["--dry-run"])
            #expect(code == 64 && err.contains(named), "\(flag) \(value): \(err)")
        }
        let folder = try temporaryFolder()
        #expect(try bench(small("--seeds", "1,2") + ["--out", folder.path]).status == 0)
        let original = try lines(folder)
        try write(original + [original[0]], to: folder)
        for arguments in [["report", folder.path], small("--seeds", "1,2") + ["--out", folder.path, "--resume"]] {
            let (code, _, err) = try bench(arguments)
            #expect(code == 65 && err.contains("lines 1 and 3") && err.contains("recorded more than once"), "\(err)")
        }
        #expect(try lines(folder).count == 3, "resume must not drop the duplicate silently")
    }

    /// Item 8: a crashed cell is counted on the report's first page and listed with its key
    /// escaped in summary.md; --retry-crashed reruns it; a rerun without --resume or
    /// --overwrite is refused.
    @Test func crashedCellsAreReportedRetriedAndNeverReplacedSilently() throws {
        let folder = try temporaryFolder()
        let two = small("--seeds", "1,2") + ["--out", folder.path]
        #expect(try bench(two).status == 0)
        var edited = try lines(folder)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(edited[1].utf8)) as? [String: Any])
        object["status"] = "crashed"
        object["message"] = "signal 9 (Killed)"
        object["metrics"] = []
        edited[1] = String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
        try write(edited, to: folder)
        let report = try bench(["report", folder.path])
        #expect(report.status == 0, "\(report.err)")
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("1 of 2 finished, 1 crashed, 0 skipped"))
        #expect(summary.contains("| sgld\\|std-normal-1d\\|h=0.1\\|n=full\\|seed=2 | crashed | signal 9 (Killed) |"), "\(summary)")
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Cells that did not finish") && html.contains("1 of 2 finished, 1 crashed"))
        let pdfText = Process()
        pdfText.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        pdfText.arguments = ["-f", "1", "-l", "2", folder.appendingPathComponent("report.pdf").path, "-"]
        let pipe = Pipe()
        pdfText.standardOutput = pipe
        try pdfText.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        pdfText.waitUntilExit()
        #expect(text.contains("1 of 2 finished, 1 crashed, 0 skipped") && text.contains("Cells that did not finish"), "\(text)")

        let refused = try bench(two)
        #expect(refused.status == 64 && refused.err.contains("already holds 2 results") && refused.err.contains("--overwrite"))
        #expect(try lines(folder) == edited)
        let plainResume = try bench(two + ["--resume"])
        #expect(plainResume.status == 1 && plainResume.out.contains("2 already done"))
        let retried = try bench(two + ["--resume", "--retry-crashed"])
        #expect(retried.status == 0, "\(retried.err)")
        #expect(try lines(folder).count == 2 && !(try lines(folder).joined().contains("crashed")))
        #expect(try bench(two + ["--overwrite"]).status == 0)
    }
}
