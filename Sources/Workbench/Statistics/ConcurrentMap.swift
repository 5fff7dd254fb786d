import Foundation

/// `body(0) … body(count − 1)` computed on every core (`DispatchQueue.concurrentPerform`), in
/// index order in the result. Each index is computed by the same pure function whichever
/// thread runs it, so the result never depends on scheduling or the number of cores: the
/// diagnostics use it to treat coordinates in parallel and stay deterministic.
///
/// `body` must be safe to call concurrently (no shared mutable state).
public func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    var results = [T?](repeating: nil, count: count)
    withoutActuallyEscaping(body) { body in
        results.withUnsafeMutableBufferPointer { slots in
            // Each worker writes only its own indices, so the slots are never shared.
            let shared = UncheckedSendable((slots.baseAddress!, body))
            // Indices dealt round-robin to a few workers per core.
            let workers = min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
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
