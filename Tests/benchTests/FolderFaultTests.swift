import Foundation
import Testing

/// The results folder against the filesystem (issue 27, docs/RESULTS.md "Faults"): links that
/// lead elsewhere, a full disk (injected with the hidden `--test-fail-append` and
/// `--test-fail-report-file`, which make the real error paths run), a killed report, and a
/// folder of another grid. Each test is one reproduction of the issue (F1–F6).
@Suite struct FolderFaultTests {
    let small = ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1", "--steps", "1000",
                 "--seeds", "1", "--chains", "2", "--jobs", "1"]
    /// Eight cells, run two at a time, so appends of two workers meet.
    let eight = ["grid", "--samplers", "sgld,sghmc", "--targets", "std-normal-1d", "--step-sizes", "0.05,0.1",
                 "--seeds", "1,2", "--steps", "1000", "--chains", "2", "--jobs", "2"]

    /// `small` with `flag` set to `value`.
    func small(_ flag: String, _ value: String) -> [String] {
        var arguments = small
        arguments[arguments.firstIndex(of: flag)! + 1] = value
        return arguments
    }

    /// Every file under `folder` with its bytes (the lock file aside, which a run empties).
    func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let name = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            let path = folder.path + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }

    func keys(_ folder: URL) throws -> [String] {
        try String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["key"] as? String ?? "(no key)"
            }
    }

    /// F1: `s/../g1b` with `s -> x/y` is `x/g1b` to the kernel; baseline and merge see that
    /// it is their input and refuse, leaving it byte for byte.
    @Test func anOutputThroughALinkAndDotDotIsSeenAsTheInput() throws {
        let root = try temporaryFolder()
        let input = root.appendingPathComponent("x/g1b")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("x/y"), withIntermediateDirectories: true)
        #expect(try bench(small + ["--out", input.path]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/s", withDestinationPath: root.path + "/x/y")
        let before = try snapshot(input)
        for command in ["baseline", "merge"] {
            let (status, _, err) = try bench([command, "x/g1b", "--out", "s/../g1b"], in: root)
            #expect(status == 64 && err.contains("never overwrites its inputs") && err.contains("x/g1b"), "\(command): \(err)")
        }
        #expect(try snapshot(input) == before)
    }

    /// F2: links planted inside a folder (the lock file, a figure) are replaced, never written
    /// through: the files they point to keep their bytes.
    @Test func linksInsideTheFolderAreNeverWrittenThrough() throws {
        let root = try temporaryFolder(), folder = root.appendingPathComponent("grid")
        #expect(try bench(small + ["--out", folder.path]).status == 0)
        let precious = root.appendingPathComponent("precious.txt"), other = root.appendingPathComponent("other.png")
        try Data("keep me\n".utf8).write(to: precious)
        try Data("not a figure\n".utf8).write(to: other)
        let lock = folder.appendingPathComponent(".bench.lock"), figure = folder.appendingPathComponent("figures/overview.png")
        try FileManager.default.removeItem(at: lock)
        try FileManager.default.removeItem(at: figure)
        try FileManager.default.createSymbolicLink(at: lock, withDestinationURL: precious)
        try FileManager.default.createSymbolicLink(at: figure, withDestinationURL: other)
        let (status, _, err) = try bench(["report", folder.path])
        #expect(status == 0, "\(err)")
        #expect(try String(contentsOf: precious, encoding: .utf8) == "keep me\n")
        #expect(try String(contentsOf: other, encoding: .utf8) == "not a figure\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: figure.path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular, "the figure is a file of its own now")
    }

    /// F3 and the done-when: a grid whose third append fails (half its line written, then
    /// ENOSPC, while another worker is finishing a cell) exits 74 naming the reason, leaves
    /// only whole lines, and a resume ends with every cell exactly once.
    @Test func aFailedAppendLeavesWholeLinesAndTheResumeRunsEveryCellOnce() throws {
        let folder = try temporaryFolder()
        let (status, _, err) = try bench(eight + ["--out", folder.path, "--test-fail-append", "3"])
        #expect(status == 74, "\(err)")
        #expect(err.contains("No space left on device") && err.contains("the partial line was removed"), "\(err)")
        let data = try Data(contentsOf: folder.appendingPathComponent("results.jsonl"))
        #expect(data.last == UInt8(ascii: "\n"))
        #expect(try keys(folder).count == 2, "the two appends before the failed one, nothing after it")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.pdf").path))

        let resumed = try bench(eight + ["--out", folder.path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.err)")
        let all = try keys(folder)
        #expect(all.count == 8 && Set(all).count == 8, "\(all)")
    }

    /// F3: a torn last line (a kill mid-write) is set aside on resume, with its byte range,
    /// into results.jsonl.torn, and its cell runs again.
    @Test func aTornLastLineIsSetAsideAndItsCellRerun() throws {
        let folder = try temporaryFolder()
        #expect(try bench(eight + ["--out", folder.path]).status == 0)
        let path = folder.appendingPathComponent("results.jsonl")
        var lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let torn = String(lines.removeLast().prefix(100))
        let whole = lines.joined(separator: "\n") + "\n"
        try Data((whole + torn).utf8).write(to: path)
        let (status, _, err) = try bench(eight + ["--out", folder.path, "--resume"])
        #expect(status == 0, "\(err)")
        #expect(err.contains("set aside the torn last line") && err.contains("bytes \(whole.utf8.count)–\(whole.utf8.count + 100)"), "\(err)")
        let aside = try String(contentsOf: folder.appendingPathComponent("results.jsonl.torn"), encoding: .utf8)
        #expect(aside == torn + "\n")
        let all = try keys(folder)
        #expect(all.count == 8 && Set(all).count == 8)
    }

    /// F4: a report whose drawn file comes out incomplete (as a full disk leaves it) exits 74
    /// naming the file, and the previous report stays byte for byte, with no staging left.
    @Test func anIncompleteRenderingKeepsThePreviousReport() throws {
        let folder = try temporaryFolder()
        #expect(try bench(small + ["--out", folder.path]).status == 0)
        let before = try snapshot(folder)
        for (file, named) in [("1", "report.pdf: cannot write the report"), ("2", ".png: cannot write the report")] {
            let (status, _, err) = try bench(["report", folder.path, "--test-fail-report-file", file])
            #expect(status == 74, "\(err)")
            #expect(err.contains(named) && err.contains("incomplete") && err.contains("the previous report is kept"), "\(err)")
            #expect(try snapshot(folder) == before)
        }
    }

    /// F5: merge, baseline and report --out into a folder holding another grid are refused without
    /// --overwrite (the folder untouched); with it, every file of the old grid goes, draws
    /// included. `bench grid --overwrite` removes the old draws too.
    @Test func anotherGridsFolderIsReplacedOnlyWithOverwrite() throws {
        let root = try temporaryFolder()
        let shard = root.appendingPathComponent("shard"), victim = root.appendingPathComponent("victim")
        #expect(try bench(small + ["--out", shard.path]).status == 0)
        #expect(try bench(small("--seeds", "2") + ["--out", victim.path, "--export-draws", "npy"]).status == 0)
        let before = try snapshot(victim)
        #expect(before.keys.contains { $0.hasPrefix("draws/") })
        for command in ["merge", "baseline", "report"] {
            let (status, _, err) = try bench([command, shard.path, "--out", victim.path])
            #expect(status == 64 && err.contains("--overwrite") && err.contains("grid.json"), "\(command): \(err)")
            #expect(try snapshot(victim) == before, "\(command) touched the folder")
        }
        let merged = try bench(["merge", shard.path, "--out", victim.path, "--overwrite"])
        #expect(merged.status == 0, "\(merged.err)")
        let after = try snapshot(victim)
        #expect(!after.keys.contains { $0.hasPrefix("draws/") }, "the old grid's draws are gone")
        #expect(after["results.jsonl"] == (try snapshot(shard))["results.jsonl"])

        let drawn = root.appendingPathComponent("drawn")
        #expect(try bench(small + ["--out", drawn.path, "--export-draws", "npy"]).status == 0)
        #expect(try bench(small("--seeds", "2") + ["--out", drawn.path, "--overwrite"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: drawn.appendingPathComponent("draws").path))
    }

    /// F6: what a report killed mid-rendering leaves (its staging folder, a temporary file of
    /// an atomic write) never replaces the report and is removed, with a message, by the next
    /// command that opens the folder; no figure is ever empty.
    @Test func aKilledRenderingLeavesThePreviousReportAndIsCleanedUp() throws {
        let folder = try temporaryFolder()
        #expect(try bench(small + ["--out", folder.path]).status == 0)
        let staging = folder.appendingPathComponent(".report-staging-AbC123")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try Data().write(to: staging.appendingPathComponent("figures/overview.png"))
        try Data("%PDF-1.5 half".utf8).write(to: folder.appendingPathComponent(".report.pdf.tmp-4242"))
        let (status, _, err) = try bench(["report", folder.path])
        #expect(status == 0, "\(err)")
        #expect(err.contains("removed \(folder.path)/.report-staging-AbC123") && err.contains(".report.pdf.tmp-4242"), "\(err)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.hasPrefix(".report-staging-") || $0.contains(".tmp-") }, "\(names)")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("figures").path) {
            let size = try FileManager.default.attributesOfItem(atPath: folder.path + "/figures/" + name)[.size] as? Int
            #expect((size ?? 0) > 0, "\(name) is empty")
        }
    }

    /// Lesser: a line whose key is not a cell of the grid is refused by `report` (it would pass
    /// for a finished cell), and a missing cell is counted as such.
    @Test func aStrayKeyIsRefusedAndAMissingCellCounted() throws {
        let folder = try temporaryFolder()
        #expect(try bench(small("--seeds", "1,2") + ["--out", folder.path]).status == 0)
        let path = folder.appendingPathComponent("results.jsonl")
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let stray = lines[0].replacingOccurrences(of: "seed=1", with: "seed=9")
        try Data((lines[1] + "\n" + stray + "\n").utf8).write(to: path)
        let refused = try bench(["report", folder.path])
        #expect(refused.status == 65 && refused.err.contains("seed=9") && refused.err.contains("not a cell of the grid"), "\(refused.err)")
        try Data((lines[1] + "\n").utf8).write(to: path)
        #expect(try bench(["report", folder.path]).status == 0)
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("1 of 2 finished, 0 crashed, 0 skipped, 1 without a result"), "\(summary.prefix(400))")
    }
}
