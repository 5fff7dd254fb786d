import Foundation

/// Fields of Linux's /proc/cpuinfo (of the first processor listed): what `bench perf` reports
/// of the machine and what ``BLASKernels`` compares with the kernels in use.
public enum CPUInfo {
    /// The value of the first line whose name is `name` (e.g. "model name", "flags"), trimmed;
    /// nil when there is no such line or no /proc/cpuinfo.
    public static func field(_ name: String) -> String? {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
