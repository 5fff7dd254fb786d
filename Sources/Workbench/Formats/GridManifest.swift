import Foundation

/// `grid.json` beside `results.jsonl`: the spec that was run, its provenance and the number of
/// cells it expands to, so a report can be re-rendered and a result directory identified.
public struct GridManifest: Codable, Sendable {
    public var spec: GridSpec
    public var provenance: Provenance
    public var cellCount: Int
    /// Sampler–target pairs left out of the grid, with the reason.
    public var skipped: [String]

    public init(spec: GridSpec, provenance: Provenance, cellCount: Int, skipped: [String] = []) {
        self.spec = spec
        self.provenance = provenance
        self.cellCount = cellCount
        self.skipped = skipped
    }

    private enum CodingKeys: String, CodingKey { case spec, provenance, cellCount, skipped }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        spec = try c.decode(GridSpec.self, forKey: .spec)
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        cellCount = try c.decode(Int.self, forKey: .cellCount)
        skipped = try c.decodeIfPresent([String].self, forKey: .skipped) ?? []
    }

    public func write(to path: String) throws {
        let encoder = ResultStore.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        guard FileManager.default.createFile(atPath: path, contents: try encoder.encode(self)) else {
            throw WorkbenchError.file(path: path, problem: "cannot write the grid manifest")
        }
    }

    public static func load(from path: String) throws -> GridManifest {
        try decodeJSONFile(GridManifest.self, at: path, describing: "the grid manifest")
    }
}
