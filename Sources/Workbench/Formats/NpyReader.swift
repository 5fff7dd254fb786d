import Foundation

/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0) holding little-endian float64
/// ('<f8') in C order — what `numpy.save` writes for a float64 array. Anything else (another
/// dtype, big-endian, Fortran order, an object array, a truncated data section) is a
/// `WorkbenchError.malformedData` that names the header field or byte offset and says how to
/// re-save the array.
///
/// Sizes come from the file, so they are checked before they are used: the number of values
/// (the product of the shape) and its byte count are computed with overflow checks, and the
/// byte count must equal the bytes after the header before anything is allocated for the
/// values (the file itself is memory-mapped, not read). A shape too large for any file is a
/// `malformedData` error naming the shape, never an arithmetic trap.
public enum NpyReader {
    /// What the header says: the shape, the number of values, and where the data start.
    public struct Header: Equatable, Sendable {
        public let shape: [Int]
        /// The product of `shape`, checked not to overflow (and its × 8 bytes neither).
        public let count: Int
        public let dataStart: Int
        /// The shape as written in messages: "(2, 1000, 3)".
        public var shapeText: String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }
    }

    /// The shape and the values (C order) of the array in `path`.
    public static func read(_ path: String) throws -> (shape: [Int], values: [Double]) {
        try parse(try mapped(path), path: path)
    }

    /// The checked header of the `.npy` file at `path`, without reading its data: what a
    /// caller needs to estimate the memory a read takes (`DrawMemory.checkImport`).
    public static func header(of path: String) throws -> Header {
        try header(try mapped(path), path: path)
    }

    /// The file at `path`, memory-mapped (pages are read only when touched).
    private static func mapped(_ path: String) throws -> Data {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw WorkbenchError.file(path: path, problem: "cannot read the .npy file (no such file, or unreadable)")
        }
        return data
    }

    /// Parses the bytes of a `.npy` file; `path` only names it in errors.
    public static func parse(_ data: Data, path: String) throws -> (shape: [Int], values: [Double]) {
        let header = try header(data, path: path)
        let dataStart = header.dataStart
        var values = [Double](repeating: 0, count: header.count)
        values.withUnsafeMutableBytes { target in
            data.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[dataStart...]))
            }
        }
        #if _endian(big)
        values = values.map { Double(bitPattern: UInt64(littleEndian: $0.bitPattern)) }
        #endif
        return (header.shape, values)
    }

    /// Checks the magic, version, header fields and sizes of `data` (a whole `.npy` file).
    public static func header(_ data: Data, path: String) throws -> Header {
        func fail(_ location: String, _ problem: String) -> WorkbenchError {
            .malformedData(path: path, location: location, problem: problem)
        }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw fail("byte 0", "not a NumPy .npy file (no \\x93NUMPY magic); save draws with numpy.save")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("byte 8", "the file ends inside the header length") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw fail("byte 6", "format version \(major).\(bytes[7]) is not supported; accepted: 1.0, 2.0, 3.0")
        }
        guard data.count >= headerStart + headerLength else {
            throw fail("header", "the file ends inside the header (\(data.count) bytes, header needs \(headerStart + headerLength))")
        }
        let header = String(decoding: data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)], as: UTF8.self)

        let descr = try field("descr", in: header, path: path)
        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard dtype == "<f8" else {
            let why: String
            switch dtype {
            case ">f8": why = "big-endian float64"
            case "|O", "O": why = "an object array"
            default: why = "dtype '\(dtype)'"
            }
            throw fail("header field 'descr'", "\(why); accepted: little-endian float64 ('<f8'); "
                + "re-save with numpy.save(path, numpy.asarray(a, dtype='<f8'))")
        }
        let fortran = try field("fortran_order", in: header, path: path)
        guard fortran == "False" else {
            throw fail("header field 'fortran_order'", "\(fortran == "True" ? "Fortran (column-major) order" : "'\(fortran)'"); "
                + "accepted: C order (False); re-save with numpy.save(path, numpy.ascontiguousarray(a))")
        }
        let shapeText = try field("shape", in: header, path: path)
        guard shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw fail("header field 'shape'", "'\(shapeText)' is not a tuple")
        }
        var shape: [Int] = []
        for part in shapeText.dropFirst().dropLast().split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            guard let n = Int(item.hasSuffix("L") ? String(item.dropLast()) : item), n >= 0 else {
                throw fail("header field 'shape'", "'\(item)' is not a whole number")
            }
            shape.append(n)
        }
        let dataStart = headerStart + headerLength
        let available = data.count - dataStart
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow else {
                throw fail("header field 'shape'", "shape \(shapeText) holds more values than fit in memory or in any file "
                    + "(the product of its axes exceeds \(Int.max)); the file has \(available) bytes of data")
            }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: 8)
        guard !overflow else {
            throw fail("header field 'shape'", "shape \(shapeText) holds \(count) values, whose \(count) × 8 bytes exceed \(Int.max); "
                + "the file has \(available) bytes of data")
        }
        guard available == byteCount else {
            throw fail("data (byte \(dataStart))", "\(available) bytes of data; shape \(shapeText) needs \(count) × 8 = \(byteCount)")
        }
        return Header(shape: shape, count: count, dataStart: dataStart)
    }

    /// Reads draws: shape (chains, draws, d) or (draws, d) for one chain, at least one draw.
    /// With `dimension`, the last axis must equal it.
    public static func readDraws(_ path: String, dimension: Int? = nil) throws -> DrawsArray {
        let (shape, values) = try read(path)
        let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        guard shape.count == 2 || shape.count == 3 else {
            throw WorkbenchError.malformedData(
                path: path, location: "header field 'shape'",
                problem: "shape \(shapeText) has \(shape.count) axes; accepted: (chains, draws, d) or (draws, d)")
        }
        let chains = shape.count == 3 ? shape[0] : 1
        let draws = shape[shape.count - 2], d = shape[shape.count - 1]
        guard chains >= 1, draws >= 1, d >= 1 else {
            throw WorkbenchError.malformedData(
                path: path, location: "header field 'shape'", problem: "shape \(shapeText) holds no draws; every axis must be ≥ 1")
        }
        if let dimension, dimension != d {
            throw WorkbenchError.malformedData(
                path: path, location: "header field 'shape'",
                problem: "shape \(shapeText) has d = \(d) coordinates on its last axis; the target has d = \(dimension)")
        }
        return DrawsArray(chains: chains, draws: draws, dimension: d, values: values)
    }

    /// The raw text of `key`'s value in the header dictionary.
    static func field(_ key: String, in header: String, path: String) throws -> String {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\""),
              let colon = header[keyRange.upperBound...].firstIndex(of: ":")
        else {
            throw WorkbenchError.malformedData(path: path, location: "header", problem: "no '\(key)' field in \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        var rest = header[header.index(after: colon)...].drop { $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else {
                throw WorkbenchError.malformedData(path: path, location: "header field '\(key)'", problem: "unterminated tuple")
            }
            return String(rest[...close])
        }
        if let quote = rest.first, quote == "'" || quote == "\"" {
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else {
                throw WorkbenchError.malformedData(path: path, location: "header field '\(key)'", problem: "unterminated string")
            }
            return String(quote) + rest[..<end] + String(quote)
        }
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        return rest[..<end].trimmingCharacters(in: .whitespaces)
    }
}
