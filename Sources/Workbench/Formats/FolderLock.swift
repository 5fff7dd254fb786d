import Foundation

/// An exclusive advisory lock on a results folder, held while a command writes into it
/// (`bench grid`, `merge`, `baseline`, `report`), so two processes never mix their results.
///
/// The lock is `flock(LOCK_EX | LOCK_NB)` on `FOLDER/.bench.lock`, which holds the holder's
/// pid. A second process fails at once with `WorkbenchError.folderInUse` naming that pid.
/// The kernel releases a `flock` when its holder dies (even by `kill -9`), so a lock left by a
/// killed run is stale by construction: the next process takes it over, and `takenOverFrom`
/// names the pid it found in the file. The descriptor is close-on-exec, so child processes
/// (`--isolate`) do not keep the lock alive after their parent dies. `release()` (or
/// deinit) empties the pid and unlocks; the file itself stays (unlinking a lock file others
/// may have open would let two processes hold "the" lock). A symbolic link in the lock file's
/// place is replaced by a plain file, never followed.
public final class FolderLock: @unchecked Sendable {
    /// The lock file's name inside the folder.
    public static let fileName = ".bench.lock"

    public let path: String
    /// The pid written in the lock file by an earlier holder that is gone (killed, or a
    /// version that did not empty the file), if any: that lock was taken over.
    public let takenOverFrom: Int32?
    private var fd: Int32

    /// Locks `folder` (which must exist) or throws `folderInUse` naming the holder's pid.
    public init(folder: String) throws {
        path = folder + "/" + Self.fileName
        fd = Self.openNoFollow(path)
        guard fd >= 0 else { throw WorkbenchError.io(path: path, action: "open the lock file", creating: true) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let holder = Self.readPID(fd)
            close(fd)
            if busy { throw WorkbenchError.folderInUse(folder: folder, pid: holder) }
            throw WorkbenchError.io(path: path, action: "lock it")
        }
        let previous = Self.readPID(fd)
        takenOverFrom = previous == getpid() ? nil : previous
        let text = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Empties the pid and releases the lock (idempotent).
    public func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    /// Opens (creating) the lock file without following a symbolic link: a link planted there
    /// is removed and a plain file made in its place, so locking never truncates the file a
    /// link points to. -1 with errno set on failure.
    private static func openNoFollow(_ path: String) -> Int32 {
        let flags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW
        let fd = open(path, flags, 0o644)
        guard fd < 0, errno == ELOOP else { return fd }
        guard unlink(path) == 0 else { return -1 }
        return open(path, flags | O_EXCL, 0o644)
    }

    /// The pid in the lock file, if it holds one.
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
