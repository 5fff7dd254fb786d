import Foundation
import Workbench

/// Reports a grid's progress on standard error. On a terminal: one live line with a bar,
/// cells done, ETA and divergences so far. Otherwise (CI logs): one plain line per cell for
/// small grids, and for large ones a line every 10 seconds; failed and crashed cells are
/// always reported on a line of their own.
///
/// Calls arrive one at a time (the grid runner serialises them).
final class ProgressReporter: @unchecked Sendable {
    private let live = isatty(STDERR_FILENO) != 0
    private let start = Date()
    private var lastLine = Date.distantPast
    private var diverged = 0

    func report(done: Int, total: Int, cell: Cell, result: CellResult) {
        if result.diverged { diverged += 1 }
        let elapsed = Date().timeIntervalSince(start)
        let eta = Double(total - done) * elapsed / Double(done)
        if result.status != .ok {
            clearLiveLine()
            printError("[\(done)/\(total)] \(cell.key)  \(result.status.rawValue): \(result.message ?? "")")
        }
        if live {
            let width = 30, filled = width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data(
                "\r[\(bar)] \(done)/\(total) cells  ETA \(clock(eta))  diverged \(diverged)\u{1B}[K".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if result.status == .ok && (total <= 50 || done == total || Date().timeIntervalSince(lastLine) >= 10) {
            lastLine = Date()
            let status = result.diverged ? "diverged (\(result.divergedChains)/\(result.chains) chains)" : "ok"
            let detail = total <= 50 ? "\(cell.key)  \(String(format: "%.2f", result.wallSeconds)) s  \(status)" : "ETA \(clock(eta))"
            printError("[\(done)/\(total)] \(detail)  diverged so far \(diverged)")
        }
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
