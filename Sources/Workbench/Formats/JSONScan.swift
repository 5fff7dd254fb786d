import Foundation

/// One pass over JSON text for what Foundation's `JSONDecoder` does not report: an object key
/// written twice (the decoder silently keeps one; YAML refuses), and where each number
/// literal is (its coding path and line), so that a number the decoder rejects without a
/// place ("not valid JSON" for a seed of −1, steps of 1000.5 or 1e30, 2⁶⁴) can be named
/// (`JSONScan.rejectedNumber`).
///
/// Keys are compared after unescaping (`"a"` and `"\u0061"` are one key). The scan stops
/// quietly at the first syntax error, or beyond 512 levels of nesting: the decoder reports
/// those.
struct JSONScan {
    /// A number literal: its coding path ("seeds[0]", "tuning.budget"), 1-based line and byte
    /// range in the text.
    struct Number {
        let path: String
        let line: Int
        let range: Range<Int>
    }

    private(set) var numbers: [Number] = []
    private let bytes: [UInt8]
    private let file: String
    private var position = 0
    private var line = 1

    private struct Stop: Error {}

    /// Scans `data` (the contents of `file`, named in errors); throws
    /// `WorkbenchError.malformedData` naming the first duplicated key, its object and lines.
    init(_ data: Data, file: String) throws {
        bytes = [UInt8](data)
        self.file = file
        do {
            skipBlanks()
            try value(path: "", depth: 0)
        } catch is Stop {}
    }

    private mutating func skipBlanks() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard position < bytes.count, bytes[position] == byte else { throw Stop() }
        position += 1
    }

    private mutating func value(path: String, depth: Int) throws {
        guard position < bytes.count, depth < 512 else { throw Stop() }
        switch bytes[position] {
        case UInt8(ascii: "{"): try object(path: path, depth: depth)
        case UInt8(ascii: "["): try array(path: path, depth: depth)
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = position
            while position < bytes.count, "+-.eE0123456789".utf8.contains(bytes[position]) { position += 1 }
            numbers.append(Number(path: path.isEmpty ? "the top level" : path, line: line, range: start..<position))
        default:
            while position < bytes.count, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[position]) { position += 1 }
        }
    }

    private mutating func object(path: String, depth: Int) throws {
        try expect(UInt8(ascii: "{"))
        let opened = line
        var seen: [String: Int] = [:]
        skipBlanks()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
        while true {
            skipBlanks()
            let keyLine = line
            let key = try string()
            if let first = seen[key] {
                let place = path.isEmpty ? "the top-level object" : "the object at \(path) (opened on line \(opened))"
                throw WorkbenchError.malformedData(
                    path: file, location: "line \(keyLine)",
                    problem: "key '\(key)' appears twice in \(place), first on line \(first); "
                        + "JSON readers disagree on which one counts, so write each key once")
            }
            seen[key] = keyLine
            skipBlanks()
            try expect(UInt8(ascii: ":"))
            skipBlanks()
            try value(path: path.isEmpty ? key : path + "." + key, depth: depth + 1)
            skipBlanks()
            guard position < bytes.count else { throw Stop() }
            position += 1
            if bytes[position - 1] == UInt8(ascii: "}") { return }
            guard bytes[position - 1] == UInt8(ascii: ",") else { throw Stop() }
        }
    }

    private mutating func array(path: String, depth: Int) throws {
        try expect(UInt8(ascii: "["))
        skipBlanks()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return }
        var index = 0
        while true {
            skipBlanks()
            try value(path: path + "[\(index)]", depth: depth + 1)
            index += 1
            skipBlanks()
            guard position < bytes.count else { throw Stop() }
            position += 1
            if bytes[position - 1] == UInt8(ascii: "]") { return }
            guard bytes[position - 1] == UInt8(ascii: ",") else { throw Stop() }
        }
    }

    /// A string literal, unescaped (\uXXXX with surrogate pairs).
    private mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw Stop() }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "u"):
                    flush()
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                default: raw.append(escaped)  // \" \\ \/
                }
            default:
                raw.append(byte)
            }
        }
        throw Stop()
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count,
              let code = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
        else { throw Stop() }
        position += 4
        return code
    }
}
