import Foundation

/// How many threads one computation's parallel loops (``concurrentMap(_:_:)``: the
/// diagnostics' coordinates, KSD's Gram blocks, wide MLP layers) may keep busy: every core
/// unless the calling thread set a limit. A grid that runs several cells at once gives each
/// worker's cells an equal share (`GridRunner`), so that `bench grid --jobs N` keeps at most N
/// cores busy: N cells on one thread each, or one cell on N threads when it runs alone. The
/// limit belongs to the thread that sets it (concurrent grids in one process do not see each
/// other's). Results never depend on it (``concurrentMap(_:_:)`` is deterministic).
public enum ComputeThreads {
    private static let key = "Workbench.ComputeThreads"

    /// The calling thread's limit (≥ 1); every core when none was set.
    public static var current: Int {
        (Thread.current.threadDictionary[key] as? Int) ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// Runs `body` with at most `threads` threads per computation started from this thread,
    /// then restores the previous limit.
    public static func withLimit<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[key]
        dictionary[key] = max(1, threads)
        defer { dictionary[key] = previous }
        return try body()
    }
}

/// `body(0) … body(count − 1)` computed on up to ``ComputeThreads/current`` threads
/// (`DispatchQueue.concurrentPerform`; in this thread when that is 1), in index order in the
/// result. Each index is computed by the same pure function whichever
/// thread runs it, so the result never depends on scheduling or the number of cores: the
/// diagnostics use it to treat coordinates in parallel and stay deterministic.
///
/// `body` must be safe to call concurrently (no shared mutable state).
public func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    let threads = ComputeThreads.current
    guard count > 1, threads > 1 else { return (0..<count).map(body) }
    var results = [T?](repeating: nil, count: count)
    withoutActuallyEscaping(body) { body in
        results.withUnsafeMutableBufferPointer { slots in
            // Each worker writes only its own indices, so the slots are never shared.
            let shared = UncheckedSendable((slots.baseAddress!, body))
            // Indices dealt round-robin to a few workers per core.
            let workers = min(count, threads * 4)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let (base, body) = shared.value
                var i = worker
                while i < count {
                    (base + i).pointee = body(i)
                    i += workers
                }
            }
        }
    }
    return results.map { $0! }
}

/// A value handed to concurrent workers whose safety the caller guarantees.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
