import Foundation

/// A rectangular table of finite numbers read from a text file (the UCI `data.txt` files,
/// CSV data sets, index lists), validated so that nothing is dropped silently.
///
/// Fields are separated by runs of spaces and tabs (`.whitespace`) or by commas (`.comma`,
/// surrounding blanks allowed); lines end in LF or CRLF; blank lines at the end of the file are ignored. Every
/// data line must have as many fields as the first; a blank line, a field that is not a
/// number, or a number that is NaN or infinite is an error. A UTF-8 byte-order mark at the
/// start of the file is skipped. Errors are
/// `WorkbenchError.malformedData` (exit 65) naming the file, the line (1-based, counting header
/// lines) and the column (1-based field index); a missing or unreadable file is a
/// `malformedData` error too, naming the file, because for a target a data file that is not
/// there is bad data, not a usage mistake.
public struct NumericTable: Sendable, Equatable {
    public enum Separator: Sendable { case whitespace, comma }

    /// The file the table was read from.
    public let path: String
    public let rows: Int
    public let columns: Int
    /// The values, row-major (rows × columns).
    public let values: [Double]

    public init(path: String, rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.path = path
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Reads the table at `path`, skipping `headerLines` leading lines.
    public static func load(path: String, separator: Separator = .whitespace, headerLines: Int = 0) throws -> NumericTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError.malformedData(
                path: path, location: "whole file", problem: "the data file is missing (no such file, or unreadable)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, separator: separator, headerLines: headerLines)
    }

    /// Parses `text` as the contents of `path` (named in errors).
    public static func parse(_ text: String, path: String, separator: Separator = .whitespace,
                             headerLines: Int = 0) throws -> NumericTable {
        // A byte-order mark (U+FEFF, as spreadsheet programs write) is not part of the first field.
        let text = text.first == "\u{FEFF}" ? text.dropFirst() : text[...]
        // "\r\n" is one Character in Swift: split on both line ends.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        // Blank lines at the very end (the final newline, trailing empty lines) are not data.
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { lines.removeLast() }
        guard lines.count > headerLines else {
            throw WorkbenchError.malformedData(path: path, location: "whole file", problem: "no data rows")
        }
        var values: [Double] = []
        var columns = 0
        var firstDataLine = 0
        for (index, rawLine) in lines.enumerated() where index >= headerLines {
            let lineNumber = index + 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine[...]
            let fields: [Substring]
            switch separator {
            case .whitespace:
                fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            case .comma:
                fields = line.split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces)[...] }
            }
            if fields.isEmpty || (fields.count == 1 && fields[0].isEmpty) {
                throw WorkbenchError.malformedData(
                    path: path, location: "line \(lineNumber), column 1", problem: "blank line inside the data")
            }
            if columns == 0 {
                columns = fields.count
                firstDataLine = lineNumber
            } else if fields.count != columns {
                let column = min(fields.count, columns) + 1
                throw WorkbenchError.malformedData(
                    path: path, location: "line \(lineNumber), column \(column)",
                    problem: "ragged row: \(fields.count) fields, but line \(firstDataLine) has \(columns)")
            }
            for (j, field) in fields.enumerated() {
                guard let x = Double(field) else {
                    throw WorkbenchError.malformedData(
                        path: path, location: "line \(lineNumber), column \(j + 1)",
                        problem: "'\(field)' is not a number")
                }
                guard x.isFinite else {
                    throw WorkbenchError.malformedData(
                        path: path, location: "line \(lineNumber), column \(j + 1)",
                        problem: "'\(field)' is not a finite number (NaN and infinities are not accepted)")
                }
                values.append(x)
            }
        }
        return NumericTable(path: path, rows: values.count / columns, columns: columns, values: values)
    }

    /// The value at (`row`, `column`), 0-based.
    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    /// Column `j` (0-based).
    public func column(_ j: Int) -> [Double] { (0..<rows).map { values[$0 * columns + j] } }

    /// The given columns of every row, row-major (rows × `selected.count`): a data set's
    /// feature matrix.
    public func rows(columns selected: [Int]) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(rows * selected.count)
        for r in 0..<rows { for j in selected { out.append(values[r * columns + j]) } }
        return out
    }

    /// Reads a file of whole numbers, one per line (a single column), each in `range`: the
    /// UCI index files. A value that is not a whole number or lies outside `range` is an
    /// error naming its line.
    public static func loadIndices(path: String, in range: Range<Int>) throws -> [Int] {
        let table = try load(path: path)
        guard table.columns == 1 else {
            throw WorkbenchError.malformedData(
                path: path, location: "line 1, column 2", problem: "expected one index per line, found \(table.columns) fields")
        }
        return try table.values.enumerated().map { k, x in
            guard x == x.rounded(), x >= Double(range.lowerBound), x < Double(range.upperBound) else {
                throw WorkbenchError.malformedData(
                    path: path, location: "line \(k + 1), column 1",
                    problem: "'\(formatNumber(x))' is not a row index in \(range.lowerBound)..<\(range.upperBound)")
            }
            return Int(x)
        }
    }
}
