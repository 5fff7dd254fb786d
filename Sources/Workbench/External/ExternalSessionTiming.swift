import Foundation

/// The time the last external session that finished its steps spent serving them — from the
/// child's ready to its last record, without its start (Python, imports) — and how many steps
/// that was: what `bench perf --only external` divides. Process-wide; read it after a cell
/// that ran alone.
public enum ExternalSessionTiming {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last: (steps: Int, seconds: Double)?

    static func record(steps: Int, duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        lock.withLock { last = (steps, seconds) }
    }

    /// The steps and seconds of the last session that served its steps to the end (nil: none yet).
    public static var lastServed: (steps: Int, seconds: Double)? { lock.withLock { last } }
}
