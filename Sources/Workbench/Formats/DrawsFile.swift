import Foundation

/// Draws of a d-dimensional quantity as chains × draws × d, C order (`values[(c·N + i)·d + j]`
/// is coordinate j of draw i of chain c): what `bench diagnose` reads and `bench run
/// --export-draws` writes, as NumPy `.npy` (`NpyReader`, `NpyWriter`) or CSV (`DrawsCSV`).
public struct DrawsArray: Equatable, Sendable {
    public let chains: Int
    public let draws: Int
    public let dimension: Int
    public let values: [Double]
    /// Coordinate names from a CSV header (nil for `.npy`).
    public let names: [String]?

    public init(chains: Int, draws: Int, dimension: Int, values: [Double], names: [String]? = nil) {
        precondition(values.count == chains * draws * dimension, "draws: value count does not match the shape")
        self.chains = chains
        self.draws = draws
        self.dimension = dimension
        self.values = values
        self.names = names
    }

    /// How the axes of a 3-axis array are ordered: ArviZ's (chain, draw, dimension), which the
    /// workbench writes, or (draw, chain, dimension), what a `lax.scan` over steps of
    /// vectorised chains stacks.
    public enum Layout: String, CaseIterable, Sendable {
        case chainDrawDimension = "chain,draw,dim"
        case drawChainDimension = "draw,chain,dim"
    }

    /// These draws read as `layout`: for `drawChainDimension` the array was
    /// (draws, chains, d), so its first axis is draws — the result is (chains, draws, d).
    public func reading(as layout: Layout) -> DrawsArray {
        guard layout == .drawChainDimension else { return self }
        // Read as (chains = A, draws = B, d), the file's axes are (draws = A, chains = B, d).
        let (draws, chains, d) = (self.chains, self.draws, dimension)
        var swapped = [Double](repeating: 0, count: values.count)
        for t in 0..<draws {
            for c in 0..<chains {
                for j in 0..<d { swapped[(c * draws + t) * d + j] = values[(t * chains + c) * d + j] }
            }
        }
        return DrawsArray(chains: chains, draws: draws, dimension: d, values: swapped, names: names)
    }

    /// The draws of chain `c`, row-major (draws × d).
    public func chain(_ c: Int) -> ArraySlice<Double> {
        values[(c * draws * dimension)..<((c + 1) * draws * dimension)]
    }

    /// The kept draws of `record`'s chains, each cut to the shortest chain's length (a chain
    /// that diverged keeps fewer), so that they form an array.
    public init(_ record: RunRecord) {
        let count = record.chains.map(\.drawCount).min() ?? 0
        var values: [Double] = []
        values.reserveCapacity(record.chains.count * count * record.dimension)
        for chain in record.chains { values += chain.draws.prefix(count * record.dimension) }
        self.init(chains: record.chains.count, draws: count, dimension: record.dimension, values: values,
                  names: record.parameterNames)
    }
}

/// Reading and writing draws by file extension: `.npy` or `.csv`.
public enum DrawsFile {
    public enum Format: String, Codable, Sendable {
        case npy, csv
    }

    /// The format named by `path`'s extension (case-insensitive).
    public static func format(of path: String) throws -> Format {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let format = Format(rawValue: ext) else {
            throw WorkbenchError.invalidValue(
                owner: "draws file", name: "extension", value: ext.isEmpty ? path : "." + ext,
                accepted: ".npy (NumPy, float64, shape (chains, draws, d) or (draws, d)) or .csv (a header row, one column per coordinate, optional 'chain' column)")
        }
        return format
    }

    /// Reads draws; `dimension`, when given, is checked against the file (a mismatch is a
    /// malformed-data error naming the header).
    public static func read(_ path: String, dimension: Int? = nil) throws -> DrawsArray {
        switch try format(of: path) {
        case .npy: return try NpyReader.readDraws(path, dimension: dimension)
        case .csv: return try DrawsCSV.read(path, dimension: dimension)
        }
    }

    /// Writes draws; `.npy` as (chains, draws, d) float64, `.csv` with a `chain` column and
    /// one column per coordinate named by `names` (default x[1] … x[d]).
    /// Checks, before anything runs, that draws can be written to `path`: a known extension
    /// (`format(of:)`) and an existing, writable folder. Errors name the path and the problem.
    public static func checkWritable(_ path: String) throws {
        _ = try format(of: path)
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw WorkbenchError.file(path: folder, problem: "no such folder to write \((path as NSString).lastPathComponent) into; create it first")
        }
        guard isDirectory.boolValue else {
            throw WorkbenchError.file(path: folder, problem: "not a folder, so \((path as NSString).lastPathComponent) cannot be written into it")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw WorkbenchError.file(path: folder, problem: "folder is not writable")
        }
    }

    public static func write(_ draws: DrawsArray, to path: String) throws {
        switch try format(of: path) {
        case .npy: try NpyWriter.write(draws.values, shape: [draws.chains, draws.draws, draws.dimension], to: path)
        case .csv: try DrawsCSV.write(draws, to: path)
        }
    }
}
