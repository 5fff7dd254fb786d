import Foundation
import Workbench

/// The results of one `bench perf` run with the machine they were measured on, rendered as a
/// plain table, JSON, or the Markdown of BENCHMARKS.md.
struct PerfReport: Codable, Sendable {
    struct Machine: Codable, Sendable {
        let cpu: String
        let cores: Int
        let memoryGB: Double
        /// The 1-minute load average when the run started and when it ended. Above ~0.5 at the
        /// start, other work was using the cores and timings are pessimistic; the end value
        /// includes the benchmark's own two-core grid section.
        var loadAtStart: Double
        var loadAtEnd: Double
        /// The OpenBLAS kernel set in use and the library's configuration (``BLASKernels``).
        var blas = ""
        /// Set when those kernels are older than the CPU (``BLASKernels/advice(coreName:cpuFlags:coreTypeSetting:)``).
        var blasAdvice: String?

        static func current() -> Machine {
            return Machine(cpu: CPUInfo.field("model name") ?? "unknown", cores: ProcessInfo.processInfo.activeProcessorCount,
                           memoryGB: Double(ProcessInfo.processInfo.physicalMemory) / 1e9,
                           loadAtStart: loadAverage(), loadAtEnd: .nan,
                           blas: "\(BLASKernels.configuration); kernels: \(BLASKernels.coreName)",
                           blasAdvice: BLASKernels.adviceForThisMachine)
        }

        static func loadAverage() -> Double {
            let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
            return text.split(separator: " ").first.flatMap { Double($0) } ?? .nan
        }
    }

    var machine: Machine
    let date: String
    let revision: String
    let repetitions: Int
    let scale: Double
    /// Where the peer figures beside rows come from (`--peers`), if given.
    var peers: String? = nil
    var rows: [PerfRow]

    /// The fixed-width table printed by default.
    var table: String {
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        let width = max(11, rows.map(\.label.count).max() ?? 0)
        func line(_ cells: [String]) -> String {
            pad(cells[0], width, left: true) + pad(cells[1], 11) + pad(cells[2], 11) + pad(cells[3], 11) + "  " + pad(cells[4], 15, left: true) + cells[5]
        }
        var lines = [line(["measurement", "median", "min", "max", "unit", "goal"])]
        for row in rows {
            lines.append(line([row.label, Self.number(row.median), Self.number(row.summary.min), Self.number(row.summary.max), row.unit,
                               row.goal == nil ? "" : goalText(row) + " — " + statusText(row)]))
        }
        return lines.joined(separator: "\n")
    }

    /// Markdown: how it was made, the machine, a table per section. `notes` (hand-written) are
    /// appended after the marker so that regenerating keeps them.
    func markdown(notes: String?) -> String {
        var text = """
            # Benchmarks

            Regenerate with `scripts/benchmarks` (a release build, then `bench perf --markdown BENCHMARKS.md`). \
            Each number is the median of \(repetitions) repetitions (min–max beside it); every row names the \
            command that produced it. The goals are issues 9's and 20's, their BlackJAX figures the issues'; \
            `benchmarks/peers/` measures BlackJAX on your machine, and with `--peers` (as `scripts/benchmarks` runs it) \
            section (f) shows BlackJAX's vmapped chains timed in the same run beside ours.

            - Machine: \(machine.cpu), \(machine.cores) cores, \(String(format: "%.0f", machine.memoryGB)) GB
            - Date: \(date); revision \(revision)\(scale == 1 ? "" : "; workloads scaled by \(scale)")
            - Load average (1 min) at start / end: \(String(format: "%.2f", machine.loadAtStart)) / \(String(format: "%.2f", machine.loadAtEnd))\
            \(machine.loadAtStart > 0.5 ? " — the machine was busy when the run started, so timings may be pessimistic" : " (the end value includes this run's own two-core grid section)")
            - BLAS: \(machine.blas)\(machine.blasAdvice.map { " — " + $0 } ?? "")
            \(peers.map { "- Peer figures beside rows: \($0)\n" } ?? "")

            """
        for section in PerfSection.allCases {
            let sectionRows = rows.filter { $0.section == section.rawValue }
            guard !sectionRows.isEmpty else { continue }
            text += "\n## \(Self.title(section))\n\n"
            text += "| Measurement | Median | Min – max | Goal | Status | Command |\n|---|---:|---:|---|---|---|\n"
            for row in sectionRows {
                let detail = row.detail.map { " (\($0))" } ?? ""
                text += "| \(row.label) | \(Self.number(row.median)) \(row.unit)\(detail) | \(Self.number(row.summary.min)) – \(Self.number(row.summary.max)) "
                    + "| \(goalText(row)) | \(statusText(row)) | `\(row.command)` |\n"
            }
        }
        text += "\n" + Self.notesMarker + "\n"
        if let notes { text += notes }
        return text
    }

    /// The line after which BENCHMARKS.md is hand-written (kept when regenerating).
    static let notesMarker = "<!-- Notes below are written by hand; bench perf --markdown keeps everything after this line. -->"

    /// The hand-written part of an existing Markdown file (after the marker), if any.
    static func notes(in file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), let range = text.range(of: notesMarker) else { return nil }
        return String(text[range.upperBound...].drop { $0 == "\n" })
    }

    static func title(_ section: PerfSection) -> String {
        switch section {
        case .steps: return "(a) Cost of a sampler step"
        case .bnn: return "(b) BNN gradients against the dgemm peak"
        case .diagnostics: return "(c) Diagnostics at 10⁶ draws × 100 dimensions"
        case .grid: return "(d) Grid speed-up"
        case .memory: return "(e) Peak memory"
        case .chains: return "(f) Many chains per cell, per chain-step"
        case .external: return "(g) External samplers: a sampler in Python over the protocol"
        }
    }

    func goalText(_ row: PerfRow) -> String {
        guard let goal = row.goal else { return "" }
        return "\(goal.bound.rawValue) \(Self.number(goal.threshold)) \(row.unit) (\(goal.basis))"
    }

    func statusText(_ row: PerfRow) -> String {
        guard let goal = row.goal else { return "" }
        return goal.isMet(by: row.median) ? "met" : "missed (\(Self.number(goal.shortfall(of: row.median)))× off)"
    }

    /// Three significant digits, no exponent for everyday magnitudes.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let magnitude = abs(value)
        if magnitude >= 100 { return String(format: "%.0f", value) }
        if magnitude >= 10 { return String(format: "%.1f", value) }
        if magnitude >= 1 { return String(format: "%.2f", value) }
        if magnitude >= 0.001 { return String(format: "%.3g", value) }
        return String(format: "%.2e", value)
    }
}
