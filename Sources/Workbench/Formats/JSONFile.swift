import Foundation
import Yams

/// How the workbench writes JSON — results.jsonl, grid.json, tuning.json, reference metadata,
/// the spec's canonical form and every command's `--json` — so that equal values give equal
/// bytes: keys sorted, slashes not escaped. A non-finite number is an encoding error unless
/// the caller asks for it as a string.
public enum JSONOutput {
    /// The one encoder: sorted keys and unescaped slashes; `pretty` indents (for files people
    /// read); `nonFiniteAsStrings` writes ±∞ and NaN as "inf", "-inf" and "nan" instead of
    /// failing.
    public static func encoder(pretty: Bool = false, nonFiniteAsStrings: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        if nonFiniteAsStrings {
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        }
        return encoder
    }

    /// `value` as one line of compact JSON (no newline), for standard output.
    public static func line<T: Encodable>(_ value: T, nonFiniteAsStrings: Bool = false) throws -> String {
        String(decoding: try encoder(nonFiniteAsStrings: nonFiniteAsStrings).encode(value), as: UTF8.self)
    }

    /// Writes `value` as indented JSON to `path`, atomically (`AtomicFile`); `what` names the
    /// file's role in an error ("the grid manifest").
    public static func write<T: Encodable>(_ value: T, to path: String, describing what: String) throws {
        try AtomicFile.write(try encoder(pretty: true).encode(value), to: path, describing: what)
    }
}

/// Decodes a `T` from the JSON file at `path` — or YAML when the name ends in .yaml or .yml.
/// A missing or unreadable file is `WorkbenchError.file` (exit 64); malformed JSON/YAML or a
/// wrong field is `WorkbenchError.malformedData` naming the line and column or the coding
/// path (exit 65), and so are, in JSON, a key written twice in one object and a number out
/// of its field's range, each naming the line (`JSONScan`). `what` names the file's role in
/// the message ("the grid spec file").
public func decodeJSONFile<T: Decodable>(_ type: T.Type, at path: String, describing what: String) throws -> T {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw WorkbenchError.file(path: path, problem: "cannot read \(what) (no such file, or unreadable)")
    }
    let isYAML = path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    let scan = isYAML ? nil : try JSONScan(data, file: path)
    do {
        if isYAML { return try YAMLDecoder().decode(T.self, from: data) }
        return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
        if let rejected = scan?.rejectedNumber(T.self, in: data, error: error, file: path) { throw rejected }
        throw WorkbenchError.malformedData(path: path, location: error.location, problem: error.problem)
    } catch let error as YamlError {
        throw WorkbenchError.malformedData(path: path, location: "YAML", problem: "\(error)")
    }
}

extension DecodingError {
    /// Where in the document decoding failed, as a coding path ("stepSizes[2]").
    var location: String {
        let path: [CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            path = c.codingPath
        @unknown default:
            path = []
        }
        if path.isEmpty { return "at the top level" }
        return "at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    var problem: String {
        switch self {
        case .typeMismatch(let type, let c): return "expected \(type): \(c.debugDescription)"
        case .valueNotFound(let type, let c): return "missing \(type): \(c.debugDescription)"
        case .keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case .dataCorrupted(let c): return c.debugDescription + ((c.underlyingError).map { " (\($0))" } ?? "")
        @unknown default: return "\(self)"
        }
    }
}
