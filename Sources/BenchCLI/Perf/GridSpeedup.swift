import Foundation
import Workbench

/// Section (d): a grid of many short cells (4 samplers × 2 targets × 2 step sizes × 3 seeds =
/// 48 cells of 4 chains × 20 000 steps, every diagnostic) run in this process by `GridRunner`
/// with `--jobs 1` (one core: one cell at a time, its diagnostics on one thread) and with
/// `--jobs N` (N = the cores: N cells at a time, one thread each), alternately, into a
/// temporary folder; the speed-up is the ratio of the wall times. The CPU time (user + system, this process)
/// of each run is measured too: its ratio shows whether running cells in parallel costs extra
/// work (contention), separately from how many cores the machine actually gave us — on a
/// machine shared with other jobs the wall-clock speed-up is bounded by the cores left free.
enum GridSpeedup {
    static let steps = 20_000

    /// User plus system CPU seconds of this process so far (all threads).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func spec(_ settings: PerfSettings) -> GridSpec {
        GridSpec(samplers: ["sgld", "sghmc", "psgld", "sgnht"], targets: ["std-normal-1d", "gaussian-iso"],
                 stepSizes: [0.001, 0.01], seeds: [1, 2, 3], steps: settings.scaled(steps, floor: 100))
    }

    static func measure(_ settings: PerfSettings) throws -> [PerfRow] {
        let jobs = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let spec = spec(settings)
        let runner = GridRunner(registry: settings.registry)
        let cellCount = try runner.cells(of: spec, shard: nil).count
        let provenance = Provenance.current()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-perf-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func time(_ jobs: Int) throws -> (wall: Double, cpu: Double) {
            let store = ResultStore(path: folder.appendingPathComponent("results-\(jobs).jsonl").path)
            try? FileManager.default.removeItem(atPath: store.path)
            let cpuBefore = processCPUSeconds()
            let wall = try wallSeconds {
                _ = try runner.run(spec, store: store, provenance: provenance, options: .init(jobs: jobs))
            }
            return (wall, processCPUSeconds() - cpuBefore)
        }
        var serial: [(wall: Double, cpu: Double)] = [], parallel: [(wall: Double, cpu: Double)] = []
        for _ in 0..<settings.repetitions {
            serial.append(try time(1))
            parallel.append(try time(jobs))
        }
        let speedup = PerfSummary(zip(serial, parallel).map { $0.wall / $1.wall })
        let cpuRatio = PerfSummary(zip(serial, parallel).map { $1.cpu / $0.cpu })
        let available = PerfSummary(parallel.map { $0.cpu / $0.wall })
        let command = "bench grid --samplers sgld,sghmc,psgld,sgnht --targets std-normal-1d,gaussian-iso --step-sizes 0.001,0.01 "
            + "--seeds 1,2,3 --steps \(spec.steps) --jobs 1|\(jobs)  (\(settings.command(.grid)))"
        return [
            PerfRow(section: "grid", key: "grid/jobs-1", label: "grid of \(cellCount) cells, --jobs 1", unit: "s",
                    summary: PerfSummary(serial.map(\.wall)), goal: nil,
                    detail: String(format: "%.1f CPU s", PerfSummary(serial.map(\.cpu)).median), command: command),
            PerfRow(section: "grid", key: "grid/jobs-\(jobs)", label: "the same grid, --jobs \(jobs)", unit: "s",
                    summary: PerfSummary(parallel.map(\.wall)), goal: nil,
                    detail: String(format: "%.1f CPU s", PerfSummary(parallel.map(\.cpu)).median), command: command),
            PerfRow(section: "grid", key: "grid/cpu-ratio", label: "CPU time of --jobs \(jobs) over --jobs 1 (1 = no parallel overhead)",
                    unit: "×", summary: cpuRatio, goal: nil, detail: nil, command: command),
            PerfRow(section: "grid", key: "grid/cores-obtained", label: "cores busy during --jobs \(jobs) (CPU time / wall time; at most \(jobs))",
                    unit: "cores", summary: available, goal: nil, detail: nil, command: command),
            PerfRow(section: "grid", key: "grid/speedup", label: "speed-up from --jobs 1 to --jobs \(jobs) (per repetition)",
                    unit: "×", summary: speedup, goal: .atLeast(1.8, "issue 9, --jobs 2"), detail: nil, command: command),
        ]
    }
}
