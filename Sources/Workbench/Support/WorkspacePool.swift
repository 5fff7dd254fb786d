import Foundation

/// Scratch memory for targets whose gradients need it (the BNNs' activations and deltas),
/// shared safely by concurrent chains.
///
/// A target is one `Sendable` value used by every chain of a grid at once, so it cannot own
/// mutable scratch buffers, and allocating them per call would allocate per step. A pool
/// hands each call a workspace of its own for the duration of the call: `withWorkspace`
/// takes one from the free list under a mutex (or makes one when all are in use) and returns
/// it afterwards. The pool therefore holds at most as many workspaces as calls ever ran at
/// once (the number of concurrent chains), and after the first call on each thread no call
/// allocates. The mutex is held only to pop and push a reference (tens of nanoseconds, not
/// the gradient itself), so chains do not serialise on it.
///
/// A workspace is used by one call at a time; that exclusivity, enforced by the pool, is why
/// `W` may be a non-`Sendable` class.
public final class WorkspacePool<W: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [W] = []
    private let make: @Sendable () -> W

    /// A pool whose workspaces are made by `make` when needed.
    public init(make: @escaping @Sendable () -> W) {
        self.make = make
    }

    /// Runs `body` with a workspace no other call is using.
    @inline(__always)
    public func withWorkspace<R>(_ body: (W) throws -> R) rethrows -> R {
        let workspace = lock.withLock { free.popLast() } ?? make()
        defer { lock.withLock { free.append(workspace) } }
        return try body(workspace)
    }

    /// Workspaces made so far and currently free (for tests of the no-allocation contract).
    public var freeCount: Int { lock.withLock { free.count } }
}

/// A vector of scratch values: the workspace of a target that needs one vector per call.
public final class ScratchVector {
    public var values: [Double]

    public init(count: Int) {
        values = [Double](repeating: 0, count: count)
    }
}
