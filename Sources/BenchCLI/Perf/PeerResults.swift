import Foundation
import Workbench

/// A peer's timings of the same workloads (`bench perf --peers FILE`), as written by
/// `benchmarks/peers/blackjax_chains.py --json FILE`: `{"tool": …, "rows": [{"key", "unit",
/// "median", …}, …]}`. A row whose key and unit match a `bench perf` row gets the peer's median
/// and the ratio peer / workbench beside its own median.
struct PeerResults: Sendable {
    struct Row: Decodable, Sendable {
        let key: String
        let unit: String
        let median: Double
    }

    /// The peer's name ("blackjax").
    let tool: String
    let rows: [String: Row]
    /// The tool, its versions, the file and the date it was measured.
    let source: String

    /// The results in the JSON file at `path`; a clear error naming the file when it is missing,
    /// malformed or has two rows with one key.
    static func load(_ path: String) throws -> PeerResults {
        struct File: Decodable {
            let tool: String
            let date: String?
            let versions: [String: String]?
            let rows: [Row]
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError.file(path: path, problem: "cannot be read")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw WorkbenchError.file(path: path, problem: "is not the JSON of blackjax_chains.py --json ({\"tool\", \"rows\": [{\"key\", \"unit\", \"median\"}]}): \(error)")
        }
        var rows: [String: Row] = [:]
        for row in file.rows {
            guard rows.updateValue(row, forKey: row.key) == nil else {
                throw WorkbenchError.file(path: path, problem: "has two rows with the key \(row.key)")
            }
            guard row.median.isFinite, row.median > 0 else {
                throw WorkbenchError.file(path: path, problem: "row \(row.key) has the median \(row.median); accepted: a positive number")
            }
        }
        let versions = (file.versions ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return PeerResults(tool: file.tool, rows: rows,
                           source: "\(file.tool) (\(versions)) from \(path), measured \(file.date ?? "at an unrecorded date")")
    }

    /// "BlackJAX 53.9 ns/chain-step: 4.2× ours" for the row `key` measured as `median` `unit`,
    /// or nil when the peer has no such row (or measured it in another unit).
    func comparison(key: String, unit: String, median: Double) -> String? {
        guard let row = rows[key], row.unit == unit else { return nil }
        return "\(tool) \(PerfReport.number(row.median)) \(unit): " + String(format: "%.1f× ours", row.median / median)
    }
}
