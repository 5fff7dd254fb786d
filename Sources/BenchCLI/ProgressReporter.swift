import Foundation
import Workbench

/// Reports a grid's progress on standard error. On a terminal: one live line with a bar,
/// cells done, ETA and divergences so far, and — once a cell has been at it for 5 s — the
/// longest-running cell with its phase (sampling or diagnostics) and time in it, refreshed
/// every second. Otherwise (CI logs): one plain line per cell for small grids (with its
/// sampling and diagnostics times), and for large ones a line every 10 seconds; failed and
/// crashed cells are always reported on a line of their own; a cell that has been in one phase
/// for a minute gets a line saying so, every minute, so a long cell never looks hung.
/// `GridCommand` then says when it writes the report.
///
/// `report` calls arrive one at a time (the grid runner serialises them); `started` calls come
/// from the worker threads and the ticker from its own, so all state is under a lock.
final class ProgressReporter: @unchecked Sendable {
    private let live = isatty(STDERR_FILENO) != 0
    private let start = Date()
    private let lock = NSLock()
    private var lastLine = Date.distantPast
    private var diverged = 0
    private var done = 0, total = 0
    /// What each running cell is doing, since when, and when it started.
    private var running: [String: (activity: GridRunner.CellActivity, since: Date, started: Date)] = [:]
    private var lastNotice: [String: Date] = [:]
    private var ticker: DispatchSourceTimer?

    init() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "bench.progress"))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        ticker = timer
    }

    /// A cell entered `activity` (called by the executor on its worker thread).
    func started(_ cell: Cell, _ activity: GridRunner.CellActivity) {
        lock.withLock {
            let now = Date()
            let first = running[cell.key]?.started ?? now
            running[cell.key] = (activity, now, first)
        }
    }

    func report(done: Int, total: Int, cell: Cell, result: CellResult) {
        lock.withLock {
            self.done = done
            self.total = total
            let phase = running.removeValue(forKey: cell.key)
            lastNotice[cell.key] = nil
            if result.diverged { diverged += 1 }
            let elapsed = Date().timeIntervalSince(start)
            let eta = Double(total - done) * elapsed / Double(done)
            if result.status != .ok {
                clearLiveLine()
                printError("[\(done)/\(total)] \(cell.key)  \(result.status.rawValue): \(result.message ?? "")")
            }
            if live {
                drawLiveLine(eta: eta)
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            } else if result.status == .ok && (total <= 50 || done == total || Date().timeIntervalSince(lastLine) >= 10) {
                lastLine = Date()
                let status = result.diverged ? "diverged (\(result.divergedChains)/\(result.chains) chains)" : "ok"
                var times = "\(String(format: "%.2f", result.wallSeconds)) s"
                if let phase, phase.activity == .diagnostics {
                    times = "sampling \(times), diagnostics \(String(format: "%.2f", Date().timeIntervalSince(phase.since))) s"
                }
                let detail = total <= 50 ? "\(cell.key)  \(times)  \(status)" : "ETA \(clock(eta))"
                printError("[\(done)/\(total)] \(detail)  diverged so far \(diverged)")
            }
        }
    }

    /// Stops the ticker (before the report is written).
    func finish() {
        ticker?.cancel()
        ticker = nil
    }

    /// Once a second: refresh the live line, or note long cells in a log.
    private func tick() {
        lock.withLock {
            guard let (key, cell) = running.min(by: { $0.value.since < $1.value.since }) else { return }
            let now = Date()
            let inPhase = now.timeIntervalSince(cell.since)
            if live {
                guard inPhase >= 5 else { return }
                let elapsed = now.timeIntervalSince(start)
                drawLiveLine(eta: done > 0 ? Double(total - done) * elapsed / Double(done) : .nan)
            } else if inPhase >= 60 && now.timeIntervalSince(lastNotice[key] ?? cell.since) >= 60 {
                lastNotice[key] = now
                printError("[\(done)/\(total)] still running \(key): \(cell.activity.rawValue) for \(clock(inPhase))"
                    + " (started \(clock(now.timeIntervalSince(cell.started))) ago)")
            }
        }
    }

    /// The live line: bar, counts, ETA, divergences, and the longest-running cell's phase once it
    /// has been in it for 5 s. Called under the lock.
    private func drawLiveLine(eta: Double) {
        let width = 30, filled = total > 0 ? width * done / total : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var line = "\r[\(bar)] \(done)/\(total) cells  ETA \(clock(eta))  diverged \(diverged)"
        if let (key, cell) = running.min(by: { $0.value.since < $1.value.since }) {
            let inPhase = Date().timeIntervalSince(cell.since)
            if inPhase >= 5 {
                let name = key.count > 40 ? String(key.prefix(39)) + "…" : key
                line += "  \(name): \(cell.activity.rawValue) \(clock(inPhase))"
            }
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    private func clearLiveLine() {
        if live { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Seconds as h:mm:ss or m:ss.
    private func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
