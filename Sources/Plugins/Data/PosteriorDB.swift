import Foundation
import Workbench

/// The posteriordb files shipped in `data/posteriordb/` (provenance in `data/README.md`),
/// read once per process and validated: a missing file or a wrong or missing field is a
/// `WorkbenchError.malformedData` (exit 65) naming the file and the field.
enum PosteriorDB {
    struct EightSchoolsData: Decodable, Sendable {
        let J: Int
        let y: [Double]
        let sigma: [Double]
    }

    struct RegressionData: Decodable, Sendable {
        let N: Int
        let D: Int
        let X: [[Double]]
        let y: [Double]
    }

    static func path(_ name: String) -> String { ProjectPaths.data("posteriordb/" + name) }

    static let eightSchools: Result<EightSchoolsData, WorkbenchError> = Result {
        let file = path("eight_schools.data.json")
        let data = try decodeJSONFile(EightSchoolsData.self, at: file, describing: "the eight-schools data")
        guard data.y.count == data.J, data.sigma.count == data.J else {
            throw WorkbenchError.malformedData(path: file, location: "at y, sigma", problem: "expected J = \(data.J) values each")
        }
        if let j = data.sigma.firstIndex(where: { !($0 > 0) }) {
            throw WorkbenchError.malformedData(path: file, location: "at sigma[\(j)]", problem: "a standard error must be > 0")
        }
        return data
    }.mapError(asWorkbenchError)

    static let sblri: Result<RegressionData, WorkbenchError> = Result {
        let file = path("sblri.data.json")
        let data = try decodeJSONFile(RegressionData.self, at: file, describing: "the sblri data")
        guard data.X.count == data.N, data.y.count == data.N else {
            throw WorkbenchError.malformedData(path: file, location: "at X, y", problem: "expected N = \(data.N) rows")
        }
        if let i = data.X.firstIndex(where: { $0.count != data.D }) {
            throw WorkbenchError.malformedData(path: file, location: "at X[\(i)]", problem: "ragged row: expected D = \(data.D) values")
        }
        return data
    }.mapError(asWorkbenchError)

    /// posteriordb reference draws: a JSON list of chains, each mapping parameter names to
    /// draws. Returns the draws row-major (total × names.count) in the order of `names`,
    /// chain after chain, and the number of chains.
    static func draws(_ name: String, names: [String]) throws -> (values: [Double], chains: Int) {
        let file = path(name)
        let chains = try decodeJSONFile([[String: [Double]]].self, at: file, describing: "the posteriordb draws")
        var values: [Double] = []
        for (c, chain) in chains.enumerated() {
            let columns = try names.map { key -> [Double] in
                guard let column = chain[key] else {
                    throw WorkbenchError.malformedData(path: file, location: "at [\(c)]", problem: "missing parameter '\(key)'")
                }
                return column
            }
            let n = columns[0].count
            if let k = columns.firstIndex(where: { $0.count != n }) {
                throw WorkbenchError.malformedData(
                    path: file, location: "at [\(c)].\(names[k])", problem: "\(columns[k].count) draws, but \(names[0]) has \(n)")
            }
            for i in 0..<n { for column in columns { values.append(column[i]) } }
        }
        guard !values.isEmpty else {
            throw WorkbenchError.malformedData(path: file, location: "whole file", problem: "no draws")
        }
        return (values, chains.count)
    }

    /// A cached, once-per-process `Reference.fromDraws` of a posteriordb draws file.
    static func reference(_ name: String, names: [String]) throws -> Reference {
        let (values, _) = try draws(name, names: names)
        return Reference.fromDraws(values, dimension: names.count)
    }
}

func asWorkbenchError(_ error: any Error) -> WorkbenchError {
    (error as? WorkbenchError) ?? .unsupported("\(error)")
}

extension PosteriorDB {
    /// Model-scale coordinates of both eight-schools targets.
    static let eightSchoolsNames = ["mu", "tau"] + (1...8).map { "theta[\($0)]" }

    /// posteriordb's eight-schools reference (10 chains × 1 000 draws, model scale; the same
    /// posterior for the centered and noncentered parameterisations).
    static let eightSchoolsReference: Result<Reference, WorkbenchError> = Result {
        try reference("eight_schools_noncentered.draws.json", names: eightSchoolsNames)
    }.mapError(asWorkbenchError)

    /// posteriordb's sblri-blr reference (10 chains × 1 000 draws).
    static let sblriNames = (1...5).map { "beta[\($0)]" } + ["sigma"]
    static let sblriReference: Result<Reference, WorkbenchError> = Result {
        try reference("sblri_blr.draws.json", names: sblriNames)
    }.mapError(asWorkbenchError)
}

/// Stan's default initialisation: every sampling-scale coordinate uniform on (−2, 2).
func stanInitialPoint(dimension: Int, rng: inout Xoshiro256StarStar) -> [Double] {
    (0..<dimension).map { _ in 4 * rng.uniform() - 2 }
}
