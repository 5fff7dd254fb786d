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
        let failure: WorkbenchError? = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return WorkbenchError.io(path: path, action: "write \(what)") }
                offset += n
            }
            return nil
        }
        if let failure {
            close(fd)
            throw failure
        }
        guard close(fd) == 0 else { throw WorkbenchError.io(path: path, action: "write \(what)") }
    }
}
