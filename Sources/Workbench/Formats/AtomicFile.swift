import Foundation

/// Writes a whole file so that readers (and a crash) see either the old contents or the new,
/// never a half-written file: the bytes go to a temporary file in the same folder
/// (`.NAME.tmp-XXXXXX`, so the rename never crosses a file system), are flushed with `fsync`,
/// and the temporary file is renamed over `path` (replacing a symbolic link there, never
/// writing through it). On any error the temporary file is removed, `path` is untouched, and
/// the error is `WorkbenchError.io` with the OS's reason (exit 74; 73 when the temporary file
/// cannot be created).
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`; `what` names the file's role in
    /// the error ("the results", "the grid manifest").
    public static func write(_ data: Data, to path: String, describing what: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw WorkbenchError.io(path: path, action: "write \(what): cannot create a temporary file beside it", creating: true)
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: (action: String, errno: Int32)?
        if let code = data.withUnsafeBytes({ writeAll(fd, $0) }) { failure = ("write \(what)", code) }
        if failure == nil && fsync(fd) != 0 { failure = ("write \(what) (fsync)", errno) }
        // mkstemp makes the file 0600; results are ordinary files.
        if failure == nil { fchmod(fd, 0o644) }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = ("rename the written \(what) over it", errno) }
        if let failure {
            unlink(temporary)
            throw WorkbenchError.io(path: path, action: failure.action, errno: failure.errno, creating: false)
        }
    }

    /// `write(_:to:describing:)` of UTF-8 text.
    public static func write(text: String, to path: String, describing what: String) throws {
        try write(Data(text.utf8), to: path, describing: what)
    }
}
