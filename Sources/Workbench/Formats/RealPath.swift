import Foundation

/// Where a path really leads, as the kernel resolves it — the identity every "is this output
/// one of my inputs?" check compares (docs/RESULTS.md, "Inputs are never outputs").
///
/// Lexical normalisation is wrong for such checks: with `s -> x/y`, `s/../g1b` is `x/g1b` to
/// the kernel (`..` of a link's target) but `g1b` to a lexical `standardized` path, which is
/// how `bench baseline x/g1b --out s/../g1b` once overwrote its input. `RealPath` resolves
/// component by component with `realpath(3)` as far as the path exists, then appends the
/// missing rest (a missing component has no links to follow; a `..` after it goes back up).
/// Two existing paths are also compared by device and inode, which sees through bind mounts
/// and hard-linked folders.
public struct RealPath: Equatable, Sendable, CustomStringConvertible {
    /// The absolute path with every existing link resolved.
    public let path: String
    /// (device, inode) when the path exists.
    public let fileID: FileID?

    public struct FileID: Equatable, Sendable {
        public let device: UInt64
        public let inode: UInt64
    }

    public init(_ given: String) {
        let absolute = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
        var resolved = "/"
        for component in absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
            switch component {
            case ".": continue
            case "..":
                resolved = (resolved as NSString).deletingLastPathComponent
                if resolved.isEmpty { resolved = "/" }
            default:
                let next = resolved == "/" ? "/" + component : resolved + "/" + component
                resolved = Self.realpath(next) ?? next
            }
        }
        path = resolved
        fileID = Self.fileID(resolved)
    }

    /// Whether the two paths lead to the same file or folder.
    public func isSame(as other: RealPath) -> Bool {
        if let a = fileID, let b = other.fileID { return a == b }
        return path == other.path
    }

    public var description: String { path }

    private static func realpath(_ path: String) -> String? {
        guard let pointer = Glibc.realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func fileID(_ path: String) -> FileID? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
