import Foundation

/// Test-only fault injection for the writes a full disk breaks (docs/RESULTS.md, "Faults"):
/// the operating system cannot be made to run out of space on demand, so a hidden flag
/// (`bench grid --test-fail-append N`, `bench report --test-fail-report-file N`) arms one
/// fault here and the real error path runs from there on.
///
/// - `append`: the N-th result append of this process writes half its line and then fails
///   with ENOSPC, as a write onto a full disk does.
/// - `reportFile`: the N-th file of a rendered report is cut to half its size before it is
///   checked, as a PLplot driver that ignores a failed `fwrite` leaves it.
///
/// Nothing is armed unless a test asks.
public enum WriteFaults {
    public enum Kind: Int, Sendable { case append, reportFile }

    /// Makes the `number`-th write of `kind` (1-based) in this process fail.
    public static func arm(_ kind: Kind, at number: Int) {
        state.withLock { $0[kind.rawValue] = (number, 0) }
    }

    /// Counts one write of `kind`; true when it is the armed one.
    public static func shouldFail(_ kind: Kind) -> Bool {
        state.withLock { faults in
            guard let (number, count) = faults[kind.rawValue] else { return false }
            faults[kind.rawValue] = (number, count + 1)
            return count + 1 == number
        }
    }

    private static let state = LockedFaults()
}

/// The armed faults by kind (number to fail, writes counted), behind a lock.
private final class LockedFaults: @unchecked Sendable {
    private let lock = NSLock()
    private var faults: [Int: (Int, Int)] = [:]

    func withLock<T>(_ body: (inout [Int: (Int, Int)]) -> T) -> T {
        lock.withLock { body(&faults) }
    }
}
