import ArgumentParser
import Foundation
import Workbench

/// `bench perf`: the benchmarks of issue 9 — step costs, BNN gradients against dgemm's peak,
/// diagnostic costs, grid speed-up and peak memory — as medians over repetitions, printed as a
/// table, JSON, or the Markdown of BENCHMARKS.md. A benchmark, not a test: build with
/// `-c release` first. The measurement code is in `Perf/`, one section per file.
struct PerfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf", abstract: "Measure step, gradient, diagnostic, grid and memory costs (release build).",
        discussion: """
            Sections: steps (ns per sgld step on std-normal-1d, µs per step of every sampler on gaussian-iso), \
            bnn (BNN gradients and a wide MLP against the dgemm peak), diagnostics (10⁶ draws × 100 dimensions), \
            grid (--jobs 1 against --jobs N), memory (peak RSS of a 10⁷-step chain, in a child process), \
            chains (ns or µs per chain-step of sgld at 1, 8 and 64 chains per cell; with --peers, BlackJAX's vmapped \
            chains beside them), external (µs per gradient round trip of the NumPy ext-sgld at 1 and 64 chains, \
            and its step time over sgld's on gaussian-iso and the yacht MLP; needs python3 with NumPy). \
            scripts/benchmarks regenerates BENCHMARKS.md with `bench perf --markdown BENCHMARKS.md`.
            Example: bench perf --only steps,bnn --repetitions 3 --json
            """)

    @Option(help: "Comma-separated sections (steps, bnn, diagnostics, grid, memory, chains, external), or 'all'.") var only: String = "all"
    @Option(help: "Repetitions of each measurement (the median is reported).") var repetitions: Int = 5
    @Option(help: "Workload size factor in (0, 1]: 1 is the documented benchmark, less a quick look.") var scale: Double = 1
    @Option(help: "Write the results as Markdown to this file (hand-written notes after the marker are kept).")
    var markdown: String?
    @Option(help: "A peer's results (benchmarks/peers/blackjax_chains.py --json FILE): its median and the ratio beside each row with the same key.")
    var peers: String?
    @Flag(help: "Print the results as one JSON object instead of a table.") var json = false
    /// Internal: run the memory workload in this process and write its VmHWM to this file.
    @Option(name: .customLong("memory-child"), help: .hidden) var memoryChild: String?

    /// The validated settings, or the one-line error naming the bad value.
    func settings(registry: Registry) throws -> (PerfSettings, [PerfSection]) {
        let sections = try PerfSection.parse(only)
        guard repetitions >= 1 else {
            throw WorkbenchError.invalidValue(owner: "bench perf", name: "--repetitions", value: "\(repetitions)", accepted: "a whole number ≥ 1")
        }
        guard scale.isFinite, scale > 0, scale <= 1 else {
            throw WorkbenchError.invalidValue(owner: "bench perf", name: "--scale", value: "\(scale)", accepted: "a number in (0, 1]")
        }
        if let markdown {
            let folder = URL(fileURLWithPath: markdown).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw WorkbenchError.file(path: markdown, problem: "its folder does not exist")
            }
        }
        return (PerfSettings(registry: registry, repetitions: repetitions, scale: scale, peers: try peers.map(PeerResults.load)),
                sections)
    }

    func run() throws {
        try reportingUserErrors {
            let (settings, sections) = try settings(registry: Bench.registry)
            if let memoryChild { return try PeakMemory.runChild(settings, reportingTo: memoryChild) }
            let provenance = Provenance.current()
            var report = PerfReport(machine: .current(), date: provenance.date, revision: provenance.revision,
                                    repetitions: settings.repetitions, scale: settings.scale, peers: settings.peers?.source, rows: [])
            if !json, let advice = report.machine.blasAdvice { printError("bench perf: note: \(advice)") }
            for section in sections {
                if !json { printError("bench perf: \(section.rawValue)…") }
                let rows: [PerfRow]
                switch section {
                case .steps: rows = try StepCost.measure(settings)
                case .bnn: rows = try ModelCost.measure(settings)
                case .diagnostics: rows = try DiagnosticCost.measure(settings)
                case .grid: rows = try GridSpeedup.measure(settings)
                case .memory: rows = try PeakMemory.measure(settings)
                case .chains: rows = try ChainCost.measure(settings)
                case .external: rows = try ExternalCost.measure(settings)
                }
                report.rows += rows
            }
            report.machine.loadAtEnd = PerfReport.Machine.loadAverage()
            if let markdown {
                let text = report.markdown(notes: PerfReport.notes(in: markdown))
                do {
                    try text.write(toFile: markdown, atomically: true, encoding: .utf8)
                } catch {
                    throw WorkbenchError.file(path: markdown, problem: "cannot be written: \(error.localizedDescription)")
                }
            }
            if json {
                print(try JSONOutput.line(report, nonFiniteAsStrings: true))
            } else {
                print(report.table)
            }
        }
    }
}
