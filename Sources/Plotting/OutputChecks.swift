import Foundation

/// Checks, before PLplot opens anything, that output can be written. PLplot itself
/// cannot report an unopenable file: it retries and then calls `exit()`.
enum OutputChecks {
    /// Makes sure `directory` exists (creating it and its parents) and is writable.
    static func prepareDirectory(_ directory: URL) throws {
        let path = directory.standardizedFileURL.path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw PlottingError.cannotWriteOutput(path: path, reason: "it exists and is not a directory")
            }
        } else {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw PlottingError.cannotWriteOutput(path: path, reason: "cannot create the directory (\(reason(error)))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw PlottingError.cannotWriteOutput(path: path, reason: "the directory is not writable (\(errnoText()))")
        }
    }

    /// Makes sure `file` can be created or overwritten: its directory is prepared, it is
    /// not a directory, and opening it for writing succeeds. Returns the absolute path.
    @discardableResult
    static func prepareFile(_ file: URL) throws -> String {
        let url = file.standardizedFileURL
        let path = url.path
        guard !path.isEmpty, !path.hasSuffix("/"), url.lastPathComponent != "-" else {
            throw PlottingError.cannotWriteOutput(path: path, reason: "not a file name")
        }
        do {
            try prepareDirectory(url.deletingLastPathComponent())
        } catch PlottingError.cannotWriteOutput(let directory, let reason) {
            throw PlottingError.cannotWriteOutput(path: path, reason: "its directory '\(directory)' is unusable: \(reason)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw PlottingError.cannotWriteOutput(path: path, reason: "it is a directory")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw PlottingError.cannotWriteOutput(path: path, reason: "cannot open it for writing (\(errnoText()))")
        }
        close(descriptor)
        return path
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
