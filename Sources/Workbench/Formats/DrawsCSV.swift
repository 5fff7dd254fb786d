import Foundation

/// Draws as CSV: a header row, one column per coordinate, and an optional `chain` column.
///
/// Reading: lines starting with `#` (Stan's comments) and empty lines are skipped; the first
/// other line is the header. A column named `chain` (any case, or `.chain`) holds the chain
/// label: rows with the same label form one chain, in file order, chains in order of first
/// appearance; without it the file is one chain. Columns named `draw`, `iteration`, `.draw`
/// or `.iteration` are ignored (pandas/ArviZ data frames carry them). Every other column is a
/// coordinate, in header order. Header names may be double-quoted. Cells are numbers as
/// `strtod` reads them (`nan` and `inf` included: a non-finite draw marks its chain diverged
/// there, as in the runner); a finite literal beyond the range of a double (`1e400`) is an
/// error, not an infinity. A wrong field count, an empty or non-numeric cell, chains of
/// unequal length, or a coordinate count that is not the target's d is a
/// `WorkbenchError.malformedData` naming the line and column (or the header).
///
/// A UTF-8 byte-order mark at the start of the file is skipped.
///
/// Writing: header `chain,x[1],…` (names quoted when they hold a comma or quote), chain labels
/// 0 … M − 1, values in Swift's shortest round-trip form, so reading returns the same doubles.
public enum DrawsCSV {
    static let ignoredColumns: Set<String> = ["draw", "iteration", ".draw", ".iteration"]
    /// EF BB BF: what spreadsheet programs put before UTF-8 text.
    static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    public static func read(_ path: String, dimension: Int? = nil) throws -> DrawsArray {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError.file(path: path, problem: "cannot read the CSV file (no such file, or unreadable)")
        }
        return try parse(data, path: path, dimension: dimension)
    }

    /// Parses CSV bytes; `path` only names the file in errors.
    public static func parse(_ data: Data, path: String, dimension: Int? = nil) throws -> DrawsArray {
        // A UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name.
        var bytes = [UInt8](data.starts(with: utf8ByteOrderMark) ? data.dropFirst(utf8ByteOrderMark.count) : data)
        bytes.append(0)  // strtod stops at the terminator at the latest
        return try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer: buffer, path: path, dimension: dimension)
            return try parser.run()
        }
    }

    private struct Parser {
        let buffer: UnsafeBufferPointer<UInt8>
        let path: String
        let dimension: Int?
        var position = 0
        var line = 0

        init(buffer: UnsafeBufferPointer<UInt8>, path: String, dimension: Int?) {
            self.buffer = buffer
            self.path = path
            self.dimension = dimension
        }

        var end: Int { buffer.count - 1 }

        func fail(_ location: String, _ problem: String) -> WorkbenchError {
            .malformedData(path: path, location: location, problem: problem)
        }

        /// The next line to read as (start, end) with the newline and a trailing CR excluded,
        /// skipping empty and comment lines; nil at the end.
        mutating func nextLine() -> (Int, Int)? {
            while position < end {
                line += 1
                let start = position
                var stop = start
                while stop < end && buffer[stop] != UInt8(ascii: "\n") { stop += 1 }
                position = stop + 1
                var last = stop
                if last > start && buffer[last - 1] == UInt8(ascii: "\r") { last -= 1 }
                var first = start
                while first < last && (buffer[first] == UInt8(ascii: " ") || buffer[first] == UInt8(ascii: "\t")) { first += 1 }
                if first == last || buffer[first] == UInt8(ascii: "#") { continue }
                return (start, last)
            }
            return nil
        }

        /// Splits [start, stop) at commas outside double quotes.
        func fields(_ start: Int, _ stop: Int) -> [(Int, Int)] {
            var result: [(Int, Int)] = []
            var fieldStart = start
            var quoted = false
            for k in start..<stop {
                let b = buffer[k]
                if b == UInt8(ascii: "\"") { quoted.toggle() }
                if b == UInt8(ascii: ",") && !quoted {
                    result.append((fieldStart, k))
                    fieldStart = k + 1
                }
            }
            result.append((fieldStart, stop))
            return result
        }

        func text(_ range: (Int, Int)) -> String {
            var s = String(decoding: UnsafeBufferPointer(rebasing: buffer[range.0..<range.1]), as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") {
                s = String(s.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            }
            return s
        }

        mutating func run() throws -> DrawsArray {
            guard let (headerStart, headerEnd) = nextLine() else {
                throw fail("line 1", "the file is empty; expected a header row (e.g. chain,x[1],x[2]) and draws")
            }
            let headerLine = line
            let header = fields(headerStart, headerEnd).map(text)
            var chainColumn: Int?
            var coordinateColumns: [Int] = []
            for (k, name) in header.enumerated() {
                let key = name.lowercased()
                if key == "chain" || key == ".chain" {
                    if let first = chainColumn {
                        throw fail("line \(headerLine) (header), column \(k + 1)",
                                   "a second chain column '\(name)' (the first is column \(first + 1))")
                    }
                    chainColumn = k
                } else if !DrawsCSV.ignoredColumns.contains(key) {
                    coordinateColumns.append(k)
                }
            }
            let names = coordinateColumns.map { header[$0] }
            guard !coordinateColumns.isEmpty else {
                throw fail("line \(headerLine) (header)", "no coordinate columns in '\(header.joined(separator: ","))'; "
                    + "expected one column per coordinate and an optional 'chain' column")
            }
            if let dimension, dimension != coordinateColumns.count {
                throw fail("line \(headerLine) (header)",
                           "\(coordinateColumns.count) coordinate columns (\(names.prefix(6).joined(separator: ", "))\(names.count > 6 ? ", …" : "")); "
                           + "the target has d = \(dimension)")
            }
            let d = coordinateColumns.count
            var chainOrder: [String] = []
            var chainIndex: [String: Int] = [:]
            var perChain: [[Double]] = []
            var firstLine: [Int] = []
            while let (start, stop) = nextLine() {
                let cells = fields(start, stop)
                guard cells.count == header.count else {
                    throw fail("line \(line)", "\(cells.count) fields; the header has \(header.count)")
                }
                var label = ""
                if let c = chainColumn {
                    label = text(cells[c])
                    if label.isEmpty { throw fail("line \(line), column \(c + 1) (field '\(header[c])')", "empty chain label") }
                }
                let index: Int
                if let known = chainIndex[label] {
                    index = known
                } else {
                    index = chainOrder.count
                    chainIndex[label] = index
                    chainOrder.append(label)
                    perChain.append([])
                    firstLine.append(line)
                }
                for column in coordinateColumns {
                    perChain[index].append(try number(cells[column], column: column, name: header[column]))
                }
            }
            guard let length = perChain.first?.count, length > 0 else {
                throw fail("line \(headerLine + 1)", "no draws after the header")
            }
            if let c = chainColumn, perChain.contains(where: { $0.count != length }) {
                let counts = zip(chainOrder, perChain).map { "\($0): \($1.count / d)" }.joined(separator: ", ")
                throw fail("column \(c + 1) (field '\(header[c])')",
                           "chains have unequal numbers of draws (\(counts)); every chain needs the same number")
            }
            return DrawsArray(chains: perChain.count, draws: length / d, dimension: d,
                              values: perChain.flatMap { $0 }, names: names)
        }

        func number(_ range: (Int, Int), column: Int, name: String) throws -> Double {
            var start = range.0, stop = range.1
            while start < stop && (buffer[start] == UInt8(ascii: " ") || buffer[start] == UInt8(ascii: "\"")) { start += 1 }
            while stop > start && (buffer[stop - 1] == UInt8(ascii: " ") || buffer[stop - 1] == UInt8(ascii: "\"")) { stop -= 1 }
            let location = "line \(line), column \(column + 1) (field '\(name)')"
            guard start < stop else { throw fail(location, "empty cell; expected a number") }
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var parsedEnd: UnsafeMutablePointer<CChar>?
            errno = 0
            let value = strtod(base + start, &parsedEnd)
            let overflow = errno == ERANGE && value.isInfinite
            guard let parsedEnd, UnsafePointer(parsedEnd) == base + stop else {
                throw fail(location, "'\(text((range.0, range.1)))' is not a number")
            }
            // A literal beyond ±1.8e308 is a mistake in the file, not a divergence (which is
            // written inf or nan): strtod would silently round it to ±inf.
            if overflow {
                throw fail(location, "'\(text((range.0, range.1)))' is out of the range of a double (|x| ≤ 1.8e308); "
                    + "write inf or nan for a diverged draw")
            }
            return value
        }
    }

    /// Writes `draws` with a `chain` column (0-based labels) and one column per coordinate; a
    /// refusal names the OS's reason (`PlainFile`).
    public static func write(_ draws: DrawsArray, to path: String) throws {
        let names = draws.names ?? (1...max(draws.dimension, 1)).map { "x[\($0)]" }
        func quoted(_ name: String) -> String {
            name.contains(",") || name.contains("\"") ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
        }
        var text = "chain," + names.map(quoted).joined(separator: ",") + "\n"
        let d = draws.dimension
        draws.values.withUnsafeBufferPointer { values in
            for c in 0..<draws.chains {
                let label = "\(c)"
                for i in 0..<draws.draws {
                    text += label
                    let base = (c * draws.draws + i) * d
                    for j in 0..<d {
                        text += ","
                        text += values[base + j].description
                    }
                    text += "\n"
                }
            }
        }
        try PlainFile.write(Data(text.utf8), to: path, describing: "the CSV file")
    }
}
