import Foundation
import Workbench

/// The three UCI regression data sets of the SMILE paper's BNN benchmark (arXiv 2602.06500;
/// public code EmanuelSommer/SMILE, commit 8a54636), shipped in `data/smile-uci/` (provenance,
/// licence and checksums in its README): `<name>.data` (whitespace-separated rows, the target
/// in the last column) and `splits/<name>_split<K>_{train,valid,test}.txt` (0-based row
/// indices, K = 0, 1, 2: the authors' rows for their seeds 1, 2, 3, written by
/// `scripts/smile-uci-splits.py`).
///
/// Validated on load: the table by `NumericTable` (a malformed file is an error naming file,
/// line and column), then its SHA-256 against the README's (a file that parses but is not the
/// documented one is an error naming the file and both digests), and each split: every index
/// a row of the file, the three parts disjoint and together every row, with the 70/10/20 sizes
/// int(0.7 n), int(0.8 n) − int(0.7 n) and the rest (the authors' arithmetic).
struct SmileUCIDataSet: Sendable {
    let name: String
    let directory: String
    let rows: Int
    /// Features, row-major rows × p (every column but the last).
    let features: [Double]
    let featureCount: Int
    let target: [Double]

    static let splitCount = 3

    /// The SHA-256 of each file, as in `data/smile-uci/README.md`.
    static let checksums = [
        "airfoil": "3c5a45dcbb5f7cece50cb0163076b35421d80677cd0e773cfeddc5e5c38ed499",
        "bikesharing": "c79ca0fb1cad58047fbbf53db65d6464cbd02aa5fa738ce03abfea3156885f2e",
        "energy": "2b67b85eb98de29bba675b95a2cfaf177bcf518500477bae5981c7a834a30acf",
    ]

    static func folder() -> String { ProjectPaths.data("smile-uci") }

    /// Reads `data/smile-uci/<name>.data` (or the file in `directory`), checking its digest
    /// against `checksum` (by default the README's; nil skips the check, for tests on made-up
    /// files).
    static func load(_ name: String, directory: String? = nil, checksum: String?? = .none) throws -> SmileUCIDataSet {
        let dir = directory ?? folder()
        let path = dir + "/" + name + ".data"
        let table = try NumericTable.load(path: path)
        let expected: String? = checksum ?? checksums[name]
        if let expected {
            let digest = SHA256.hex(FileManager.default.contents(atPath: path) ?? Data())
            guard digest == expected else {
                throw WorkbenchError.malformedData(path: path, location: "whole file",
                                                   problem: "SHA-256 \(digest), expected \(expected) (data/smile-uci/README.md): not the documented file")
            }
        }
        guard table.columns >= 2 else {
            throw WorkbenchError.malformedData(path: path, location: "line 1, column 1", problem: "expected features and a target column, found \(table.columns) column")
        }
        let p = table.columns - 1
        return SmileUCIDataSet(name: name, directory: dir, rows: table.rows, features: table.rows(columns: Array(0..<p)),
                               featureCount: p, target: table.column(p))
    }

    /// The sizes of the train, valid and test parts of n rows: int(0.7 n), int(0.8 n) − int(0.7 n)
    /// and the rest (the authors compute the second bound as int(n · (0.7 + 0.1)), whose
    /// product is the same whole part as int(0.8 n) for these n; written out here as they do).
    static func partSizes(rows n: Int) -> (train: Int, valid: Int, test: Int) {
        let trainEnd = Int(Double(n) * 0.7), validEnd = Int(Double(n) * (0.7 + 0.1))
        return (trainEnd, validEnd - trainEnd, n - validEnd)
    }

    /// The rows of split `k` (0, 1, 2): train, valid and test, in the authors' order.
    func split(_ k: Int) throws -> (train: [Int], valid: [Int], test: [Int]) {
        func part(_ which: String) throws -> (path: String, rows: [Int]) {
            let path = directory + "/splits/\(name)_split\(k)_\(which).txt"
            return (path, try NumericTable.loadIndices(path: path, in: 0..<rows))
        }
        let parts = [try part("train"), try part("valid"), try part("test")]
        let sizes = Self.partSizes(rows: rows)
        for (part, size) in zip(parts, [sizes.train, sizes.valid, sizes.test]) where part.rows.count != size {
            throw WorkbenchError.malformedData(path: part.path, location: "whole file",
                                               problem: "\(part.rows.count) rows, expected \(size) of the 70/10/20 split of \(rows)")
        }
        var seen = [Bool](repeating: false, count: rows)
        for part in parts {
            for (line, r) in part.rows.enumerated() {
                if seen[r] {
                    throw WorkbenchError.malformedData(path: part.path, location: "line \(line + 1), column 1",
                                                       problem: "row \(r) appears twice in the train/valid/test split")
                }
                seen[r] = true
            }
        }
        return (parts[0].rows, parts[1].rows, parts[2].rows)
    }

    /// Once-per-process caches (the parse and digest are not repeated per target).
    static let airfoil = Result { try load("airfoil") }.mapError(asWorkbenchError)
    static let energy = Result { try load("energy") }.mapError(asWorkbenchError)
    static let bikesharing = Result { try load("bikesharing") }.mapError(asWorkbenchError)
}
