import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Workbench

/// Section (e): the peak resident memory of `bench run` — one chain of 10⁷ steps of `sgld` on
/// `gaussian-iso` (d = 100), thinning 100, every diagnostic, output discarded — in a child
/// process (`bench perf --memory-child FILE`), which runs the command and then writes its own
/// VmHWM (/proc/self/status) to FILE. The child's own high-water mark counts only its address
/// space since exec: `ru_maxrss` from `wait4` would not do, as Linux carries the parent's
/// high-water mark into a child spawned with vfork semantics.
enum PeakMemory {
    static let steps = 10_000_000

    static func arguments(_ settings: PerfSettings) -> [String] {
        ["run", "--sampler", "sgld", "--target", "gaussian-iso", "--steps", "\(settings.scaled(steps, floor: 1000))",
         "--step-size", "0.01", "--thin", "100", "--chains", "1", "--json"]
    }

    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let executable = try currentExecutable()
        let arguments = arguments(settings)
        let summary = try PerfSummary.repeating(settings.repetitions) {
            try childPeakBytes(executable, settings) / 1e6
        }
        return [PerfRow(
            section: "memory", key: "memory/sgld-gaussian-iso-1e7-thin100",
            label: "peak RSS of `bench run`: 1 chain, \(arguments[6]) steps, d = 100, thinning 100 (child process)",
            unit: "MB", summary: summary, goal: .atMost(300, "issue 9"), detail: nil,
            command: "bench " + arguments.joined(separator: " ") + "  (\(settings.command(.memory)))")]
    }

    /// What the child does: runs `bench run` with `arguments(settings)` in this process, then
    /// writes this process's peak resident set in kilobytes (VmHWM) to `file`.
    static func runChild(_ settings: PerfSettings, reportingTo file: String) throws {
        let command = try RunCommand.parse(Array(arguments(settings).dropFirst()))
        try command.run()
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else {
            throw WorkbenchError.environment("bench perf: /proc/self/status has no VmHWM line")
        }
        let kilobytes = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        try kilobytes.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Runs the child (`bench perf --memory-child FILE`, standard output to /dev/null) and
    /// returns the peak resident bytes it reports.
    static func childPeakBytes(_ executable: String, _ settings: PerfSettings) throws -> Double {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-perf-peak-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try spawnAndWait(executable, ["perf", "--only", "memory", "--scale", "\(settings.scale)", "--memory-child", file])
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), let kilobytes = Double(text) else {
            throw WorkbenchError.environment("bench perf: the memory child wrote no peak to \(file)")
        }
        return kilobytes * 1024
    }

    /// The path of the running executable (`/proc/self/exe`).
    static func currentExecutable() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw WorkbenchError.environment("bench perf --only memory: cannot find its own executable in /proc/self/exe")
        }
        return path
    }

    /// Runs `executable` with `arguments` (standard output to /dev/null) and waits; a child
    /// that fails is an error.
    static func spawnAndWait(_ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard status == 0 else {
            throw WorkbenchError.environment("bench perf: cannot start \(executable): \(String(cString: strerror(status)))")
        }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) < 0 {
            guard errno == EINTR else { throw WorkbenchError.environment("bench perf: wait4 failed: \(String(cString: strerror(errno)))") }
        }
        guard exitStatus == 0 else {
            throw WorkbenchError.unsupported("bench perf: `bench \(arguments.joined(separator: " "))` failed (wait status \(exitStatus))")
        }
    }
}
