import Foundation

/// The memory a cell's stored draws need, and the check that refuses a cell whose draws
/// cannot fit before it runs (rather than failing an allocation, with a backtrace, hours in).
///
/// Stored draws are bounded by what is recorded: a chain keeps at most
/// min(maxDraws, ⌈(steps − warm-up) / thin⌉) draws of d values (`ChainRecord`), 8 bytes each,
/// and a cell holds all its chains at once. The diagnostics hold at least one more copy of the
/// draws (rank normalisation, per-coordinate chains), so a cell may take at most half the
/// memory the process may use (`MemoryLimit`: physical memory, or its cgroup's limit when
/// lower) for its draws.
public enum DrawMemory {
    /// The most draws a chain stores: min(`maxDraws`, ⌈`recordedSteps` / `thin`⌉).
    public static func storedDraws(recordedSteps: Int, thin: Int, maxDraws: Int) -> Int {
        let steps = max(0, recordedSteps), every = max(1, thin)
        return min(maxDraws, steps / every + (steps % every == 0 ? 0 : 1))
    }

    /// Bytes of the stored draws of `cell` with `dimension` recorded coordinates, all chains
    /// (as a Double, so that absurd requests do not overflow).
    public static func bytes(of cell: Cell, dimension: Int) -> Double {
        let draws = storedDraws(recordedSteps: cell.steps - cell.warmup, thin: cell.thin, maxDraws: cell.maxDrawsPerChain)
        return Double(cell.chains) * Double(draws) * Double(dimension) * 8
    }

    /// Throws when the draws of `cell` would need more than half of `limit` (default: this
    /// process's, `MemoryLimit.current()`), naming the size, the limit that applied and how
    /// to make it smaller.
    public static func check(_ cell: Cell, dimension: Int, limit: MemoryLimit? = .current()) throws {
        guard let limit else { return }
        let need = bytes(of: cell, dimension: dimension)
        guard need > limit.bytes / 2 else { return }
        let draws = storedDraws(recordedSteps: cell.steps - cell.warmup, thin: cell.thin, maxDraws: cell.maxDrawsPerChain)
        throw WorkbenchError.unsupported(
            "\(cell.sampler) on \(cell.target): storing the draws needs \(gigabytes(need)) (\(cell.chains) chains × \(draws) draws"
            + " × d = \(dimension) × 8 bytes), more than half of \(limit.source)"
            + " (the diagnostics need a copy); lower --max-draws or --steps, or raise --thin")
    }

    /// "320 TB", "32 GB", "72 MB".
    static func gigabytes(_ bytes: Double) -> String {
        if bytes >= 1e12 { return String(format: "%.3g TB", bytes / 1e12) }
        return bytes >= 1e9 ? String(format: "%.3g GB", bytes / 1e9) : String(format: "%.3g MB", bytes / 1e6)
    }
}
