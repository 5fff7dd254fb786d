import Foundation
import Testing

/// A grid killed mid-way (SIGKILL: no clean-up) and resumed has every cell exactly once, and
/// the same numbers as an uninterrupted run.
@Suite struct ResumeTests {
    let grid = ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.01,0.02,0.05,0.1,0.2,0.4",
                "--seeds", "1,2,3", "--steps", "40000", "--chains", "2", "--jobs", "1"]

    func keys(_ folder: URL) throws -> [String] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["key"] as? String
        }
    }

    @Test func killedAndResumedGridHasEveryCellOnce() throws {
        let folder = try temporaryFolder()
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("bench")
        process.arguments = grid + ["--out", folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while try keys(folder).count < 3 && process.isRunning && Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = try keys(folder)
        #expect(before.count >= 3 && before.count < 18, "killed after \(before.count) of 18 cells")

        let (code, out, err) = try bench(grid + ["--out", folder.path, "--resume"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("already done"))
        let after = try keys(folder)
        #expect(after.count == 18 && Set(after).count == 18)

        let fresh = try temporaryFolder()
        #expect(try bench(grid + ["--out", fresh.path]).status == 0)
        #expect(try keys(fresh) == after)
    }
}
