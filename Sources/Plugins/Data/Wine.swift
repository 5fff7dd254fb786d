import Foundation
import Workbench

/// The UCI Wine recognition data (178 wines × 13 chemical measurements, 3 cultivars),
/// shipped as `data/wine/wine.csv` in scikit-learn's layout: a header line
/// ("178,13,class_0,class_1,class_2"), then 13 feature columns and the class (0, 1, 2) per
/// line. Provenance and licence (CC BY 4.0) in `data/README.md`.
///
/// There are no standard splits for it, so split K (0..19) is made reproducibly: the rows are
/// permuted by a Fisher–Yates shuffle from `Xoshiro256StarStar(seed: K, stream: "wine-split")`
/// and the first 80 % (142 rows) train, the other 36 test.
struct WineDataSet: Sendable {
    let rows: Int
    let features: [Double]
    let featureCount: Int
    /// Class indices 0, 1, 2 as whole numbers.
    let labels: [Double]
    static let classes = 3

    static var path: String { ProjectPaths.data("wine/wine.csv") }

    static func load(path: String = path) throws -> WineDataSet {
        let table = try NumericTable.load(path: path, separator: .comma, headerLines: 1)
        guard table.columns == 14 else {
            throw WorkbenchError.malformedData(path: path, location: "line 2, column \(min(table.columns, 14) + 1)",
                                               problem: "expected 13 features and a class per line, found \(table.columns) fields")
        }
        var x = [Double](), y = [Double]()
        for r in 0..<table.rows {
            for c in 0..<13 { x.append(table[r, c]) }
            let label = table[r, 13]
            guard label == label.rounded(), label >= 0, label < Double(classes) else {
                throw WorkbenchError.malformedData(path: path, location: "line \(r + 2), column 14",
                                                   problem: "'\(formatNumber(label))' is not a class (0, 1 or 2)")
            }
            y.append(label)
        }
        return WineDataSet(rows: table.rows, features: x, featureCount: 13, labels: y)
    }

    func split(_ k: Int) -> (train: [Int], test: [Int]) {
        var order = Array(0..<rows)
        var rng = Xoshiro256StarStar(seed: UInt64(k), stream: "wine-split", index: 0)
        var i = rows - 1
        while i > 0 {
            order.swapAt(i, rng.integer(below: i + 1))
            i -= 1
        }
        let trainCount = (rows * 4) / 5
        return (Array(order[..<trainCount]), Array(order[trainCount...]))
    }

    static let shared = Result { try load() }.mapError(asWorkbenchError)
}
