import Foundation

/// `grid.json` beside `results.jsonl`: the spec that was run, its provenance and the number of
/// cells it expands to, so a report can be re-rendered and a result directory identified.
/// A spec written before `TuningSpec.extensions` existed reads with
/// `TuningSpec.extensionsBeforeBracketing` (its sweeps ran unextended), so its identity and
/// decisions stay what they were (docs/RESULTS.md, "Identity").
public struct GridManifest: Codable, Sendable {
    public var spec: GridSpec
    public var provenance: Provenance
    public var cellCount: Int
    /// Sampler–target pairs left out of the grid, with the reason.
    public var skipped: [String]
    /// `spec.identityHash()` as written (nil in folders written before it existed): the
    /// folder's identity, which every result line must carry (`ResultsFolder`).
    public private(set) var specHash: String?

    public init(spec: GridSpec, provenance: Provenance, cellCount: Int, skipped: [String] = []) {
        self.spec = spec
        self.provenance = provenance
        self.cellCount = cellCount
        self.skipped = skipped
        specHash = try? spec.identityHash()
    }

    /// The folder's identity: the hash `grid.json` records, or its spec's when it records none.
    public func identity() throws -> String {
        try specHash ?? spec.identityHash()
    }

    private enum CodingKeys: String, CodingKey { case spec, provenance, cellCount, skipped, specHash }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        spec = try c.decode(GridSpec.self, forKey: .spec)
        // A grid.json written before `TuningSpec.extensions` existed ran its sweeps unextended.
        if spec.tuning != nil, try c.decode(TuningFieldProbe.self, forKey: .spec).tuning?.namesExtensions == false {
            spec.tuning?.extensions = TuningSpec.extensionsBeforeBracketing
        }
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        cellCount = try c.decode(Int.self, forKey: .cellCount)
        skipped = try c.decodeIfPresent([String].self, forKey: .skipped) ?? []
        specHash = try c.decodeIfPresent(String.self, forKey: .specHash)
    }

    /// Whether the spec's `tuning` names `extensions`.
    private struct TuningFieldProbe: Decodable {
        struct Tuning: Decodable {
            let namesExtensions: Bool
            init(from decoder: Decoder) throws { namesExtensions = try TuningSpec.namesExtensions(decoder) }
        }
        let tuning: Tuning?
    }

    /// Writes the manifest atomically (`AtomicFile`), with the spec's current hash.
    public func write(to path: String) throws {
        var stamped = self
        stamped.specHash = try spec.identityHash()
        try JSONOutput.write(stamped, to: path, describing: "the grid manifest")
    }

    public static func load(from path: String) throws -> GridManifest {
        try decodeJSONFile(GridManifest.self, at: path, describing: "the grid manifest")
    }
}
