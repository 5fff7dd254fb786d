import Foundation

/// `results.jsonl`: one JSON object per finished cell, one per line.
///
/// Appending writes the whole line (with its newline) in one `write(2)` on a descriptor opened
/// with O_APPEND, so a line is either entirely there or — if the process is killed mid-write —
/// a torn last line without its newline, which `load` reports and skips.
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

    /// Appends a line made by `encodedLine(_:)` with one `write` to the file opened for appending.
    public func append(encodedLine line: Data) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw WorkbenchError.file(path: path, problem: "cannot open for appending (\(errnoText()))") }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw WorkbenchError.file(path: path, problem: "short write (\(errnoText()))")
        }
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
