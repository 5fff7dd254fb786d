import Foundation

/// `results.jsonl`: one JSON object per finished cell, one per line.
///
/// Appending writes the whole line (with its newline) on a descriptor opened with O_APPEND and
/// removes what it wrote when a write fails, so a line is either entirely there or — if the
/// process is killed mid-write — a torn last line without its newline, which `load` reports
/// and skips and `bench grid --resume` sets aside (`setAsideTornTail`).
public struct ResultStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Appends `result` as one line.
    public func append(_ result: CellResult) throws {
        try append(encodedLine: Self.encodedLine(result))
    }

    /// `result` as the line `append` writes (JSON and a newline). Encoding is the slow part of
    /// appending; a caller that appends under a lock encodes first, outside it.
    public static func encodedLine(_ result: CellResult) throws -> Data {
        var line = try JSONOutput.encoder().encode(result)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// Appends a line made by `encodedLine(_:)`, all of it or nothing: the file is opened with
    /// O_APPEND (and never through a symbolic link), the line written in as many `write(2)`s
    /// as the kernel needs, and when one fails (ENOSPC, EIO, …) the file is cut back to its
    /// length before this append, so no torn fragment is left for the next line to glue onto.
    /// Throws `WorkbenchError.io` with the OS's reason (exit 74). Callers serialize appends
    /// (one writer per file: `GridRunner` appends under its lock).
    public func append(encodedLine line: Data) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw WorkbenchError.io(path: path, action: "append a result: it is a symbolic link, and bench never writes "
                                        + "through a link inside a results folder", creating: true)
            }
            throw WorkbenchError.io(path: path, action: "open it to append a result", creating: true)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw WorkbenchError.io(path: path, action: "read its size before appending") }
        let before = info.st_size
        let failure: Int32? = line.withUnsafeBytes { buffer in
            if WriteFaults.shouldFail(.append) {
                // As a full disk does: part of the line lands, then the write fails.
                _ = write(fd, buffer.baseAddress!, buffer.count / 2)
                return ENOSPC
            }
            return writeAll(fd, buffer)
        }
        guard let failure else { return }
        if ftruncate(fd, before) == 0 {
            throw WorkbenchError.io(path: path, action: "append a result (\(line.count) bytes; the partial line was removed)",
                                    errno: failure, creating: false)
        }
        throw WorkbenchError.io(path: path, action: "append a result (\(line.count) bytes; a partial line from byte \(before) "
                                + "could not be removed: `bench grid --resume` sets it aside)", errno: failure, creating: false)
    }

    /// The last line when it has no newline — what a write cut short by a kill leaves —
    /// as its byte range in the file; nil when the file ends with a whole line (or is absent).
    public func tornTail() -> Range<Int>? {
        FileManager.default.contents(atPath: path).flatMap(Self.tornRange)
    }

    /// Moves a torn last line (`tornTail`) out of the file: its bytes are appended, with a
    /// newline, to `sidePath` (kept for inspection, never read back), then the file is cut
    /// to the line's start. Returns the range set aside, nil when there was none.
    public func setAsideTornTail(into sidePath: String) throws -> Range<Int>? {
        guard let data = FileManager.default.contents(atPath: path), let range = Self.tornRange(in: data) else { return nil }
        var fragment = data.subdata(in: range)
        fragment.append(UInt8(ascii: "\n"))
        // A plain append, not a result's: the side file is a log, and no fault is injected here.
        let fd = open(sidePath, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WorkbenchError.io(path: sidePath, action: "open it to keep a torn line", creating: true) }
        let failure = fragment.withUnsafeBytes { writeAll(fd, $0) }
        close(fd)
        if let failure { throw WorkbenchError.io(path: sidePath, action: "keep a torn line", errno: failure, creating: false) }
        guard truncate(path, off_t(range.lowerBound)) == 0 else {
            throw WorkbenchError.io(path: path, action: "cut its torn last line (bytes \(range.lowerBound)–\(range.upperBound))")
        }
        return range
    }

    /// The byte range of `data`'s last line when it has no newline.
    private static func tornRange(in data: Data) -> Range<Int>? {
        guard let last = data.last, last != UInt8(ascii: "\n") else { return nil }
        return (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)..<data.count
    }

    /// Replaces the file's contents with `results`, one per line, atomically (`AtomicFile`: a
    /// temporary file in the same folder renamed over the old one), so a crash leaves either
    /// the old or the new file.
    public func rewrite(_ results: [CellResult]) throws {
        let encoder = JSONOutput.encoder()
        var data = Data()
        for result in results {
            data.append(try encoder.encode(result))
            data.append(UInt8(ascii: "\n"))
        }
        try AtomicFile.write(data, to: path, describing: "the results")
    }

    /// The results stored so far, in file order. A last line without its newline (a torn
    /// write) is skipped and counted in `tornLines`; any other malformed line is an error that
    /// names its line number. Duplicate keys are not checked here (`loadNumbered`,
    /// `checkUniqueKeys`).
    public func load() throws -> (results: [CellResult], tornLines: Int) {
        let (numbered, torn) = try loadNumbered()
        return (numbered.map(\.result), torn)
    }

    /// `load()` with each result's line number (1-based).
    public func loadNumbered() throws -> (results: [(line: Int, result: CellResult)], tornLines: Int) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError.file(path: path, problem: "cannot read results (no such file, or unreadable)")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var torn = 0
        if let last = lines.last, !last.isEmpty {
            lines.removeLast()
            torn = 1
        }
        let decoder = JSONDecoder()
        var results: [(Int, CellResult)] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                results.append((index + 1, try decoder.decode(CellResult.self, from: Data(line))))
            } catch {
                throw WorkbenchError.malformedData(
                    path: path, location: "line \(index + 1)", problem: "not a cell result (\(error))")
            }
        }
        return (results, torn)
    }

    /// Throws `malformedData` naming the lines of the first key that appears more than once:
    /// a results file holds each cell once, and a duplicate would be counted twice.
    public func checkUniqueKeys(_ numbered: [(line: Int, result: CellResult)]) throws {
        var lines: [String: [Int]] = [:]
        var order: [String] = []
        for (line, result) in numbered {
            if lines[result.key] == nil { order.append(result.key) }
            lines[result.key, default: []].append(line)
        }
        guard let key = order.first(where: { lines[$0]!.count > 1 }) else { return }
        let where_ = lines[key]!.map(String.init)
        let others = order.filter { lines[$0]!.count > 1 }.count - 1
        throw WorkbenchError.malformedData(
            path: path, location: "lines " + where_.dropLast().joined(separator: ", ") + " and " + where_.last!,
            problem: "cell '\(key)' is recorded more than once\(others > 0 ? " (and \(others) other cells)" : ""); "
                + "a results file holds each cell once: delete the extra lines, or rerun the grid with --overwrite")
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
