import Foundation

/// Process-wide serialisation of PLplot, which keeps global state (current stream,
/// driver table, colour maps). Every PLplot call in this module runs inside `run`.
enum PLplotLock {
    private static let lock = NSLock()

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
