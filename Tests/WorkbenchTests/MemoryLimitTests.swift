import Foundation
import Testing
@testable import Workbench

/// Issue 27: the memory checks use the least of physical memory and the cgroup's limit, and
/// say which applied; `bench diagnose` estimates a file's peak from its header or size and
/// refuses one that needs more than half of it, before reading it.
@Suite struct MemoryLimitTests {
    func file(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limit-\(UUID())").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theCgroupLimitAppliesWhenLowerThanPhysicalMemory() throws {
        let v2 = try file("1610612736\n"), unlimited = try file("max\n"), v1Unlimited = try file("9223372036854771712\n")
        let limited = try #require(MemoryLimit.current(physical: 8e9, cgroupFiles: [unlimited, v2, v1Unlimited]))
        #expect(limited.bytes == 1_610_612_736)
        #expect(limited.source == "the 1.61 GB of memory its cgroup allows (\(v2))")
        let free = try #require(MemoryLimit.current(physical: 8e9, cgroupFiles: [unlimited, v1Unlimited, "/nonexistent/memory.max"]))
        #expect(free.bytes == 8e9 && free.source == "this machine's 8 GB of memory")
        #expect(MemoryLimit.current(physical: 1e9, cgroupFiles: [v2])?.bytes == 1e9)
        // The process's own cgroup and its ancestors, as /proc/self/cgroup names them.
        let membership = try file("4:memory:/slurm/job_7\n0::/user.slice/job\n3:cpu:/x\n")
        #expect(MemoryLimit.cgroupFiles(membership: membership, root: "/R") == [
            "/R/memory.max", "/R/memory/memory.limit_in_bytes",
            "/R/memory/slurm/memory.limit_in_bytes", "/R/memory/slurm/job_7/memory.limit_in_bytes",
            "/R/user.slice/memory.max", "/R/user.slice/job/memory.max",
        ])

        // A 3.2 GB cell under a 1.5 GB cgroup is refused naming the cgroup, not OOM-killed.
        let cell = Cell(sampler: "sgld", target: "gaussian-iso", stepSize: 0.1, batchSize: .full, seed: 1,
                        chains: 4, steps: 1_000_000, warmup: 0, thin: 1, maxDrawsPerChain: 1_000_000)
        #expect(DrawMemory.bytes(of: cell, dimension: 100) == 3.2e9)
        do {
            try DrawMemory.check(cell, dimension: 100, limit: limited)
            Issue.record("a 3.2 GB cell passed a 1.6 GB limit")
        } catch let error as WorkbenchError {
            #expect(error.exitCode == 64 && error.description.contains("its cgroup allows (\(v2))"), "\(error)")
        }
        try DrawMemory.check(cell, dimension: 100, limit: MemoryLimit(bytes: 8e9, source: "test"))
    }

    @Test func diagnoseRefusesAFileTooLargeForMemoryBeforeReadingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let npy = folder + "/draws.npy", csv = folder + "/draws.csv"
        try NpyWriter.write([Double](repeating: 0.5, count: 4 * 1000 * 2), shape: [4, 1000, 2], to: npy)
        try DrawsFile.write(DrawsArray(chains: 4, draws: 1000, dimension: 2, values: [Double](repeating: 0.5, count: 8000)), to: csv)
        let (bytes, reason) = try DrawMemory.importEstimate(of: npy)
        #expect(bytes == 8000 * 8 * DrawMemory.npyImportFactor && reason.contains("shape (4, 1000, 2)"))
        let small = MemoryLimit(bytes: 200_000, source: "a test's 0.2 MB")
        for path in [npy, csv] {
            do {
                try DrawMemory.checkImport(path, limit: small)
                Issue.record("\(path) passed a 0.2 MB limit")
            } catch let error as WorkbenchError {
                #expect(error.exitCode == 64 && error.description.contains("more than half of a test's 0.2 MB"), "\(error)")
            }
            try DrawMemory.checkImport(path, limit: MemoryLimit(bytes: 8e9, source: "test"))
        }
    }
}
