import Foundation
import Workbench

/// The UCI regression data sets with the standard 20 train/test splits, shipped in
/// `data/uci/<name>/` (provenance and licence in `data/README.md`): `data.txt`
/// (whitespace-separated rows), `index_features.txt`, `index_target.txt`, and
/// `index_train_K.txt` / `index_test_K.txt`, K = 0..19 (0-based row indices). Every file is
/// validated (`NumericTable`): bad data is an error naming file, line and column.
struct UCIDataSet: Sendable {
    let name: String
    /// The folder the files were read from.
    let directory: String
    let rows: Int
    /// Features, row-major rows × p.
    let features: [Double]
    let featureCount: Int
    let target: [Double]

    static let splitCount = 20

    static func folder(_ name: String) -> String { ProjectPaths.data("uci/" + name) }

    /// Reads `data/uci/<name>/` (or `directory`).
    static func load(_ name: String, directory: String? = nil) throws -> UCIDataSet {
        let dir = directory ?? folder(name)
        let table = try NumericTable.load(path: dir + "/data.txt")
        let featureColumns = try NumericTable.loadIndices(path: dir + "/index_features.txt", in: 0..<table.columns)
        let targetColumn = try NumericTable.loadIndices(path: dir + "/index_target.txt", in: 0..<table.columns)
        guard targetColumn.count == 1 else {
            throw WorkbenchError.malformedData(path: dir + "/index_target.txt", location: "line 2, column 1",
                                               problem: "expected exactly one target column")
        }
        return UCIDataSet(name: name, directory: dir, rows: table.rows, features: table.rows(columns: featureColumns),
                          featureCount: featureColumns.count, target: table.column(targetColumn[0]))
    }

    /// The row indices of split `k`: (train, test); they must be disjoint.
    func split(_ k: Int) throws -> (train: [Int], test: [Int]) {
        let dir = directory
        let trainPath = dir + "/index_train_\(k).txt"
        let train = try NumericTable.loadIndices(path: trainPath, in: 0..<rows)
        let test = try NumericTable.loadIndices(path: dir + "/index_test_\(k).txt", in: 0..<rows)
        let testSet = Set(test)
        if let i = train.firstIndex(where: { testSet.contains($0) }) {
            throw WorkbenchError.malformedData(path: trainPath, location: "line \(i + 1), column 1",
                                               problem: "row \(train[i]) is in both the train and the test split")
        }
        return (train, test)
    }

    /// Once-per-process caches (the files are small; the parse is not repeated per target).
    static let yacht = Result { try load("yacht") }.mapError(asWorkbenchError)
    static let energy = Result { try load("energy") }.mapError(asWorkbenchError)
    static let concrete = Result { try load("concrete") }.mapError(asWorkbenchError)
}

/// A supervised data set split into train and test, standardised on the train split:
/// features (and, for regression, the target) have the train split's mean subtracted and are
/// divided by its standard deviation (divisor n; a constant feature is only centred). Or, for
/// the SMILE protocol (`init(wholeData:…)`), split into train, valid and test after
/// standardising features and target with the whole data's statistics.
struct StandardisedSplit: Sendable {
    /// Train features, row-major n × p, standardised.
    let trainX: [Double]
    /// Train targets: standardised y (regression) or class indices (classification).
    let trainY: [Double]
    let testX: [Double]
    /// Test targets on the original scale (regression) or class indices.
    let testY: [Double]
    /// Validation features (row-major, standardised) and targets (standardised, as trainY);
    /// empty unless the split has validation rows (`init(wholeData:…)`).
    var validX: [Double] = []
    var validY: [Double] = []
    let featureCount: Int
    /// The standardisation's target mean and standard deviation (0 and 1 for classification):
    /// the train split's, or the whole data's (`init(wholeData:…)`).
    let targetMean: Double
    let targetSD: Double

    var trainCount: Int { trainY.count }
    var testCount: Int { testY.count }
    var validCount: Int { validY.count }

    init(features x: [Double], featureCount p: Int, target y: [Double], train: [Int], test: [Int], standardiseTarget: Bool) {
        var mean = [Double](repeating: 0, count: p), sd = [Double](repeating: 0, count: p)
        for r in train { for j in 0..<p { mean[j] += x[r * p + j] / Double(train.count) } }
        for r in train { for j in 0..<p { sd[j] += (x[r * p + j] - mean[j]) * (x[r * p + j] - mean[j]) / Double(train.count) } }
        sd = sd.map { $0 > 0 ? $0.squareRoot() : 1 }
        func rows(_ indices: [Int]) -> [Double] {
            indices.flatMap { r in (0..<p).map { j in (x[r * p + j] - mean[j]) / sd[j] } }
        }
        trainX = rows(train)
        testX = rows(test)
        featureCount = p
        if standardiseTarget {
            let m = train.reduce(0) { $0 + y[$1] } / Double(train.count)
            let v = train.reduce(0) { $0 + (y[$1] - m) * (y[$1] - m) } / Double(train.count)
            let s = v > 0 ? v.squareRoot() : 1
            targetMean = m
            targetSD = s
            trainY = train.map { (y[$0] - m) / s }
        } else {
            targetMean = 0
            targetSD = 1
            trainY = train.map { y[$0] }
        }
        testY = test.map { y[$0] }
    }

    /// The SMILE paper's protocol (their `src/dataset/tabular.py`): every feature and the
    /// target standardised with the mean and standard deviation (divisor n) of all rows, then
    /// split into `train`, `valid` and `test`. Test targets stay on the original scale (the
    /// predictions are mapped back with the whole data's target mean and sd); validation
    /// targets are standardised, as the training loss sees them. A constant column is only
    /// centred (the authors' code would divide by 0; no shipped data set has one).
    init(wholeData x: [Double], featureCount p: Int, target y: [Double], train: [Int], valid: [Int], test: [Int]) {
        let n = y.count
        let all = Array(0..<n)
        let stats = Self.columnStatistics(x, featureCount: p, rows: all)
        func rows(_ indices: [Int]) -> [Double] {
            indices.flatMap { r in (0..<p).map { j in (x[r * p + j] - stats.mean[j]) / stats.sd[j] } }
        }
        let (m, s) = Self.columnStatistics(y, featureCount: 1, rows: all)
        trainX = rows(train)
        validX = rows(valid)
        testX = rows(test)
        featureCount = p
        targetMean = m[0]
        targetSD = s[0]
        trainY = train.map { (y[$0] - m[0]) / s[0] }
        validY = valid.map { (y[$0] - m[0]) / s[0] }
        testY = test.map { y[$0] }
    }

    /// Per-column mean and standard deviation (divisor n; 1 for a constant column) over `rows`
    /// of the row-major table `x` with `p` columns.
    static func columnStatistics(_ x: [Double], featureCount p: Int, rows: [Int]) -> (mean: [Double], sd: [Double]) {
        var mean = [Double](repeating: 0, count: p), sd = [Double](repeating: 0, count: p)
        let n = Double(rows.count)
        for r in rows { for j in 0..<p { mean[j] += x[r * p + j] } }
        mean = mean.map { $0 / n }
        for r in rows { for j in 0..<p { sd[j] += (x[r * p + j] - mean[j]) * (x[r * p + j] - mean[j]) } }
        sd = sd.map { $0 > 0 ? ($0 / n).squareRoot() : 1 }
        return (mean, sd)
    }
}
