import Foundation

/// Writes a whole file so that readers (and a crash) see either the old contents or the new,
/// never a half-written file: the bytes go to a temporary file in the same folder
/// (`.NAME.tmp-XXXXXX`, so the rename never crosses a file system), are flushed with `fsync`,
/// and the temporary file is renamed over `path`. On any error the temporary file is removed
/// and `path` is untouched.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `data`; `what` names the file's role in
    /// the error ("the results", "the grid manifest").
    public static func write(_ data: Data, to path: String, describing what: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw WorkbenchError.file(path: path, problem: "cannot write \(what): cannot create a temporary file beside it (\(errnoText()))")
        }
        let temporary = String(cString: template)
        var problem: String?
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return offset }
                offset += n
            }
            return offset
        }
        if written != data.count { problem = "short write (\(errnoText()))" }
        if problem == nil && fsync(fd) != 0 { problem = "fsync failed (\(errnoText()))" }
        // mkstemp makes the file 0600; results are ordinary files.
        if problem == nil { fchmod(fd, 0o644) }
        close(fd)
        if problem == nil && rename(temporary, path) != 0 { problem = "cannot rename the temporary file over it (\(errnoText()))" }
        if let problem {
            unlink(temporary)
            throw WorkbenchError.file(path: path, problem: "cannot write \(what): \(problem)")
        }
    }

    /// `write(_:to:describing:)` of UTF-8 text.
    public static func write(text: String, to path: String, describing what: String) throws {
        try write(Data(text.utf8), to: path, describing: what)
    }
}
