import Workbench

/// What every section of `bench perf` needs: the plugins, how often to repeat each
/// measurement, and how large the workloads are.
struct PerfSettings: Sendable {
    let registry: Registry
    /// Repetitions of each measurement (the median is reported).
    let repetitions: Int
    /// Multiplies every workload's size (steps, draws): 1 is the documented benchmark; less is a
    /// quick look (tests use it). Never below one step or 100 draws per chain.
    let scale: Double
    /// A peer's timings of the same workloads (`--peers`), shown beside matching rows.
    var peers: PeerResults? = nil

    /// `count` scaled by `scale`, at least `floor`.
    func scaled(_ count: Int, floor: Int = 1) -> Int {
        Swift.max(floor, Int((Double(count) * scale).rounded()))
    }

    /// The `bench perf` command line that reproduces a section at these settings.
    func command(_ section: PerfSection) -> String {
        var text = "bench perf --only \(section.rawValue) --repetitions \(repetitions)"
        if scale != 1 { text += " --scale \(scale)" }
        return text
    }
}
