import Foundation

/// Writes a whole file in place (no temporary file, no rename): for exports whose path the
/// user names and which nothing else reads while they are written — draws (`NpyWriter`,
/// `DrawsCSV`), reference draws. Results folders use `AtomicFile` instead.
///
/// Every refusal names the path and the operating system's reason (`WorkbenchError.io`): a
/// file that cannot be created or opened is exit 73 (`creating`), a failed write or close —
/// a full disk (ENOSPC), a quota (EDQUOT), an I/O error — exit 74.
public enum PlainFile {
    /// Creates or truncates `path` and writes `data` to it; `what` names the contents in the
    /// error ("the draws").
    public static func write(_ data: Data, to path: String, describing what: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WorkbenchError.io(path: path, action: "create \(what)", creating: true) }
        if let code = data.withUnsafeBytes({ writeAll(fd, $0) }) {
            close(fd)
            throw WorkbenchError.io(path: path, action: "write \(what)", errno: code, creating: false)
        }
        guard close(fd) == 0 else { throw WorkbenchError.io(path: path, action: "write \(what)") }
    }
}

/// Writes all of `bytes` to `fd`, again after a short write or EINTR: nil when everything was
/// written, else the errno of the write that failed (EIO for one that wrote nothing without
/// an error). The one write loop of `PlainFile`, `AtomicFile` and `ResultStore`.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return n == 0 ? EIO : errno }
        offset += n
    }
    return nil
}
