import Foundation
import Testing

/// The grid runner's command-line guarantees: isolated cells give the same numbers as
/// in-process ones, and shards merged with `bench merge` equal the unsharded grid.
@Suite struct GridRunnerCommandTests {
    let grid = ["grid", "--samplers", "sgld,exact", "--targets", "std-normal-1d", "--step-sizes", "0.05,0.2",
                "--seeds", "1,2", "--steps", "2000", "--chains", "2"]

    /// Each result line with the fields that depend on time removed.
    func numbers(_ folder: URL) throws -> [String] {
        let text = try String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            object["wallSeconds"] = nil
            object["provenance"] = nil
            // Rates per second of wall time (ess-per-gradient's ess-per-second) depend on time too.
            object["metrics"] = (object["metrics"] as? [[String: Any]])?.filter {
                !(($0["name"] as? String)?.hasSuffix("-per-second") ?? false)
            }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
        }
    }

    @Test func isolatedCellsGiveTheSameNumbers() throws {
        let plain = try temporaryFolder(), isolated = try temporaryFolder()
        let (a, _, errA) = try bench(grid + ["--jobs", "1", "--out", plain.path])
        let (b, _, errB) = try bench(grid + ["--jobs", "2", "--isolate", "--out", isolated.path])
        #expect(a == 0 && b == 0, "\(errA)\n\(errB)")
        #expect(try numbers(plain) == numbers(isolated))
        #expect(try numbers(plain).count == 6)
    }

    @Test func mergedShardsEqualTheWholeGrid() throws {
        let whole = try temporaryFolder(), one = try temporaryFolder(), two = try temporaryFolder(), merged = try temporaryFolder()
        #expect(try bench(grid + ["--out", whole.path]).status == 0)
        #expect(try bench(grid + ["--shard", "1/2", "--out", one.path]).status == 0)
        let (status, _, err) = try bench(["merge", two.path, one.path, "--out", merged.path])
        #expect(status == 64 && err.contains("grid.json"), "merging a missing shard must fail: \(err)")
        #expect(try bench(grid + ["--shard", "2/2", "--out", two.path]).status == 0)
        let (code, out, mergeErr) = try bench(["merge", two.path, one.path, "--out", merged.path])
        #expect(code == 0, "\(mergeErr)")
        #expect(out.contains("6 cells from 2 folders"))
        #expect(try numbers(merged) == numbers(whole))
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("report.pdf").path))
    }

    /// Issue 27: a grid with --isolate stopped by SIGTERM leaves no `bench run-cell` child
    /// running (the children die with their parent, `ParentWatch`).
    @Test func isolatedChildrenDieWithTheirGrid() throws {
        let folder = try temporaryFolder()
        let grid = Process()
        grid.executableURL = productsDirectory.appendingPathComponent("bench")
        grid.arguments = ["grid", "--samplers", "sgld", "--targets", "gaussian-iso", "--step-sizes", "0.01", "--steps", "1000000000",
                          "--chains", "1", "--isolate", "--jobs", "1", "--out", folder.path]
        grid.standardOutput = FileHandle.nullDevice
        grid.standardError = FileHandle.nullDevice
        grid.standardInput = FileHandle.nullDevice
        try grid.run()
        defer { if grid.isRunning { kill(grid.processIdentifier, SIGKILL) } }
        /// Live (not zombie) processes whose parent is `parent` and whose command line holds run-cell.
        func runCells(of parent: Int32?) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 2, fields[0] != "Z" else { return false }
                if let parent, Int32(fields[1]) != parent { return false }
                let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
                return String(decoding: command, as: UTF8.self).contains("run-cell")
            }
        }
        var children: [Int32] = []
        for _ in 0..<200 where children.isEmpty {
            children = runCells(of: grid.processIdentifier)
            if children.isEmpty { usleep(50_000) }
        }
        try #require(!children.isEmpty, "no run-cell child appeared within 10 s")
        kill(grid.processIdentifier, SIGTERM)
        for _ in 0..<100 where grid.isRunning { usleep(50_000) }
        #expect(!grid.isRunning, "the grid ignored SIGTERM for 5 s")
        var alive = children
        for _ in 0..<100 where !alive.isEmpty {
            usleep(50_000)
            let running = Set(runCells(of: nil))
            alive = alive.filter(running.contains)
        }
        #expect(alive.isEmpty, "run-cell \(alive) still running 5 s after its grid got SIGTERM")
        for pid in alive { kill(pid, SIGKILL) }
    }
}

/// `bench grid --export-draws npy` writes every cell's draws, in process and isolated alike,
/// in the format `numpy.load` reads: (chains, draws, d).
@Suite struct GridDrawsExportTests {
    @Test(arguments: [false, true]) func everyCellsDrawsAreWritten(isolate: Bool) throws {
        let folder = try temporaryFolder()
        let (code, _, err) = try bench(["grid", "--samplers", "sgld", "--targets", "gaussian-iso", "--target-param",
                                        "gaussian-iso.dimension=3", "--step-sizes", "0.1,0.2", "--steps", "550", "--warmup", "50",
                                        "--chains", "2", "--export-draws", "npy", "--out", folder.path] + (isolate ? ["--isolate"] : []))
        #expect(code == 0, "\(err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("draws").path).sorted()
        #expect(files == ["sgld_gaussian-iso_dimension=3_h=0.1_n=full_seed=1.npy", "sgld_gaussian-iso_dimension=3_h=0.2_n=full_seed=1.npy"])
        let data = try Data(contentsOf: folder.appendingPathComponent("draws/\(files[0])"))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect(String(decoding: data[10..<(10 + headerLength)], as: UTF8.self).contains("'shape': (2, 500, 3)"))
    }
}
