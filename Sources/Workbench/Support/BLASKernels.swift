import COpenBLAS
import Foundation

/// Which kernels the linked OpenBLAS runs, and whether they fit the CPU.
///
/// A `DYNAMIC_ARCH` OpenBLAS (Debian's) picks its kernel set once, when the library loads, from
/// the CPU's identity; a CPU newer than the build falls back to a generic set. Debian bookworm's
/// OpenBLAS 0.3.21 does this on Intel's 5th-generation Xeon (model 207): it reports "Prescott"
/// (SSE3) on a CPU with AVX-512, whose dgemm is then several times slower than with the
/// AVX-512 kernels (`OPENBLAS_CORETYPE=SkylakeX`; BENCHMARKS.md measures both).
/// The choice cannot be changed after loading, so the workbench does not change it: it
/// reports it (`bench perf`) and says which setting would select the faster kernels.
public enum BLASKernels {
    /// OpenBLAS's name for the kernel set in use, e.g. "Haswell", "SkylakeX", "Prescott".
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH … MAX_THREADS=64".
    public static var configuration: String {
        String(cString: openblas_get_config()).trimmingCharacters(in: .whitespaces)
    }

    /// The version and the kernels in use, e.g. "0.3.21 (Prescott kernels)": what grids record
    /// in their provenance, since BLAS results depend on the kernels' order of operations.
    public static var summary: String {
        let words = configuration.split(separator: " ")
        let version = words.count > 1 && words[0] == "OpenBLAS" ? String(words[1]) : configuration
        return "\(version) (\(coreName) kernels)"
    }

    /// The kernel sets that use AVX2 or AVX-512 (OpenBLAS's x86-64 `DYNAMIC_ARCH` names).
    static let wideVectorCores: Set<String> = [
        "haswell", "skylakex", "cooperlake", "sapphirerapids", "zen", "excavator",
    ]

    /// When the kernels in use (`coreName`) are older than the CPU's vector units (`cpuFlags`,
    /// the words of /proc/cpuinfo's `flags` line), a sentence saying so and naming the
    /// `OPENBLAS_CORETYPE` value that selects fitting kernels; nil when they fit, or when
    /// `OPENBLAS_CORETYPE` is already set (`coreTypeSetting`).
    public static func advice(coreName: String, cpuFlags: Set<String>, coreTypeSetting: String?) -> String? {
        guard coreTypeSetting == nil, !wideVectorCores.contains(coreName.lowercased()) else { return nil }
        let avx512 = ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(cpuFlags.contains)
        guard avx512 || cpuFlags.contains("avx2") && cpuFlags.contains("fma") else { return nil }
        let suggestion = avx512 ? "SkylakeX" : "Haswell"
        return "OpenBLAS runs its \(coreName) kernels on a CPU with \(avx512 ? "AVX-512" : "AVX2"): "
            + "this OpenBLAS does not recognise the CPU; OPENBLAS_CORETYPE=\(suggestion) in the environment "
            + "selects its \(avx512 ? "AVX-512" : "AVX2") kernels (matrix products several times faster)"
    }

    /// ``advice(coreName:cpuFlags:coreTypeSetting:)`` for this process and machine.
    public static var adviceForThisMachine: String? {
        let flags = Set((CPUInfo.field("flags") ?? "").split(separator: " ").map(String.init))
        let setting = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].flatMap { $0.isEmpty ? nil : $0 }
        return advice(coreName: coreName, cpuFlags: flags, coreTypeSetting: setting)
    }
}
