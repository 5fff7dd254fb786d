import Foundation
import Workbench

/// Section (d): a grid of many short cells (4 samplers × 2 targets × 2 step sizes × 3 seeds =
/// 48 cells of 4 chains × 20 000 steps, every diagnostic) run in this process by `GridRunner`
/// with `--jobs 1` and with `--jobs N` (N = the cores), alternately, into a temporary folder;
/// the speed-up is the ratio of the median wall times.
enum GridSpeedup {
    static let steps = 20_000

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
        func time(_ jobs: Int) throws -> Double {
            let store = ResultStore(path: folder.appendingPathComponent("results-\(jobs).jsonl").path)
            try? FileManager.default.removeItem(atPath: store.path)
            return try wallSeconds {
                _ = try runner.run(spec, store: store, provenance: provenance, options: .init(jobs: jobs))
            }
        }
        var serial: [Double] = [], parallel: [Double] = []
        for _ in 0..<settings.repetitions {
            serial.append(try time(1))
            parallel.append(try time(jobs))
        }
        let speedup = PerfSummary(zip(serial, parallel).map { $0 / $1 })
        let command = "bench grid --samplers sgld,sghmc,psgld,sgnht --targets std-normal-1d,gaussian-iso --step-sizes 0.001,0.01 "
            + "--seeds 1,2,3 --steps \(spec.steps) --jobs 1|\(jobs)  (\(settings.command(.grid)))"
        return [
            PerfRow(section: "grid", key: "grid/jobs-1", label: "grid of \(cellCount) cells, --jobs 1", unit: "s",
                    summary: PerfSummary(serial), goal: nil, detail: nil, command: command),
            PerfRow(section: "grid", key: "grid/jobs-\(jobs)", label: "the same grid, --jobs \(jobs)", unit: "s",
                    summary: PerfSummary(parallel), goal: nil, detail: nil, command: command),
            PerfRow(section: "grid", key: "grid/speedup", label: "speed-up from --jobs 1 to --jobs \(jobs) (per repetition)",
                    unit: "×", summary: speedup, goal: .atLeast(1.8, "issue 9, --jobs 2"), detail: nil, command: command),
        ]
    }
}
