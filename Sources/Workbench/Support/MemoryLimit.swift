import Foundation

/// The memory this process may use: the machine's physical memory, or less when a control
/// group limits it (a container, a Slurm job, `systemd-run -p MemoryMax=`). The kernel kills
/// a process that outgrows its cgroup without a message, so a check against physical memory
/// alone passes a cell that is then killed (1.5 GB cgroup, 3.2 GB cell: an OOM kill).
///
/// Read from cgroup v2 `memory.max` ("max" means no limit) and cgroup v1
/// `memory.limit_in_bytes` (where "no limit" is a huge number: values ≥ 2⁶⁰ are ignored), at
/// the mount's root (a container's own cgroup) and in this process's cgroup and each of its
/// ancestors as `/proc/self/cgroup` names them (a Slurm job's or a systemd unit's cgroup,
/// whose limit binds every descendant); the least of those and physical memory applies, and
/// `source` says which.
public struct MemoryLimit: Equatable, Sendable {
    public let bytes: Double
    /// Which limit applied, as a message says it: "this machine's 8.2 GB of memory" or
    /// "the 1.5 GB of memory its cgroup allows (/sys/fs/cgroup/memory.max)".
    public let source: String

    /// The limit for this process: `physical` (default: `sysconf` pages × page size) or the
    /// smallest limit in `cgroupFiles` below it; nil when none is known.
    public static func current(physical: Double? = physicalMemory,
                               cgroupFiles: [String] = cgroupFiles()) -> MemoryLimit? {
        var best = physical.map { MemoryLimit(bytes: $0, source: "this machine's \(DrawMemory.gigabytes($0)) of memory") }
        for file in cgroupFiles {
            guard let limit = cgroupLimit(file), limit < (best?.bytes ?? .infinity) else { continue }
            best = MemoryLimit(bytes: limit, source: "the \(DrawMemory.gigabytes(limit)) of memory its cgroup allows (\(file))")
        }
        return best
    }

    /// The machine's physical memory in bytes; nil when the system does not say.
    public static var physicalMemory: Double? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return nil }
        return Double(pages) * Double(size)
    }

    /// The files that may state this process's memory limit: `memory.max` (v2) and
    /// `memory.limit_in_bytes` (v1) at `root` and in every cgroup on the path of each line
    /// of `membership` (`/proc/self/cgroup`: "0::/PATH" for v2, "N:memory:/PATH" for v1).
    public static func cgroupFiles(membership: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> [String] {
        var files = [root + "/memory.max", root + "/memory/memory.limit_in_bytes"]
        let lines = FileManager.default.contents(atPath: membership).map { String(decoding: $0, as: UTF8.self) } ?? ""
        for line in lines.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let file: String
            if fields[0] == "0" && fields[1].isEmpty {
                file = "memory.max"
            } else if fields[1].split(separator: ",").contains("memory") {
                file = "memory/memory.limit_in_bytes"
            } else {
                continue
            }
            var path = ""
            for component in fields[2].split(separator: "/") {
                path += "/" + component
                let base = file == "memory.max" ? root + path : root + "/memory" + path
                files.append(base + "/" + (file as NSString).lastPathComponent)
            }
        }
        return files
    }

    /// The limit a cgroup file states, or nil for none ("max", absent, unreadable, 0, ≥ 2⁶⁰).
    static func cgroupLimit(_ file: String) -> Double? {
        guard let data = FileManager.default.contents(atPath: file),
              let value = UInt64(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              value > 0, value < 1 << 60
        else { return nil }
        return Double(value)
    }
}
