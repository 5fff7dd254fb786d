import Foundation

/// Reference draws built by the workbench (`bench reference`), cached on disk with the
/// provenance and the quality checks that let them be trusted (TARGETS.md).
///
/// Layout: `references/<target id>/<key>.json` (this metadata) and `<key>.npy` beside it (the
/// draws on the model scale, float64, shape (chains, draws, d), loadable by NumPy/ArviZ).
/// `<key>` is a 16-hex-digit FNV-1a hash of the target's resolved options, so each option
/// setting (split, width, prior scale, …) has its own reference. The folder is
/// `ProjectPaths.references` (git-ignored), or `ReferenceCache.$directoryOverride` in tests.
public struct CachedReference: Codable, Sendable {
    public var target: String
    /// The target's resolved options (defaults filled in).
    public var options: [String: ParameterValue]
    /// What the draws are draws of: a hash of the target id, options, dimensions, data size and
    /// coordinate names. A target whose fingerprint differs does not accept these draws.
    public var fingerprint: String
    public var parameterNames: [String]
    public var sampler: String
    public var hyperparameters: [String: ParameterValue]
    public var stepSize: Double?
    /// The seed of the cell whose chains these are (`ReferenceBuilder.cell`).
    public var seed: UInt64
    /// That cell's key: chain c drew from the generators of (seed, key, c), as the same cell of
    /// a grid does (`CellChains`). Nil in references built before chains were the unit of work
    /// (issue 18), whose chain c ran as a one-chain cell with a seed derived from (seed, c) by
    /// SplitMix64: their draws are as valid, but the grid's cell does not reproduce them.
    public var cellKey: String?
    public var chains: Int
    /// Steps per chain, warm-up included, and the warm-up.
    public var steps: Int
    public var warmup: Int
    /// Steps between the cached draws of a chain (recording thinning × extra thinning).
    public var stepsBetweenDraws: Int
    public var drawsPerChain: Int
    /// FNV-1a 64 of the `.npy` file's bytes: the checks below belong to exactly these draws.
    public var drawsChecksum: String
    public var wallSeconds: Double
    /// Code revision, toolchain, libraries, host and date of the build.
    public var provenance: Provenance
    /// The quality report. Its coordinates are the draws' own, or the target's functionals
    /// (`checkedOn == "functionals"`, see `ReferenceFunctionalsTarget`).
    public var quality: ReferenceQuality
    /// "coordinates" or "functionals": what the quality bar was applied to.
    public var checkedOn: String = "coordinates"

    public init(target: String, options: [String: ParameterValue], fingerprint: String, parameterNames: [String],
                sampler: String, hyperparameters: [String: ParameterValue], stepSize: Double?, seed: UInt64,
                cellKey: String? = nil, chains: Int, steps: Int, warmup: Int, stepsBetweenDraws: Int, drawsPerChain: Int,
                drawsChecksum: String, wallSeconds: Double, provenance: Provenance, quality: ReferenceQuality,
                checkedOn: String = "coordinates") {
        self.target = target
        self.options = options
        self.fingerprint = fingerprint
        self.parameterNames = parameterNames
        self.sampler = sampler
        self.hyperparameters = hyperparameters
        self.stepSize = stepSize
        self.seed = seed
        self.cellKey = cellKey
        self.chains = chains
        self.steps = steps
        self.warmup = warmup
        self.stepsBetweenDraws = stepsBetweenDraws
        self.drawsPerChain = drawsPerChain
        self.drawsChecksum = drawsChecksum
        self.wallSeconds = wallSeconds
        self.provenance = provenance
        self.quality = quality
        self.checkedOn = checkedOn
    }
}

public enum ReferenceCache {
    /// A folder to use instead of `ProjectPaths.references` (tests; scoped to a task).
    @TaskLocal public static var directoryOverride: String?
    /// Whether targets look for cached references when they are built (false while
    /// `ReferenceBuilder` builds the target it is replacing the reference of).
    @TaskLocal public static var lookupEnabled = true

    /// The folder references are read from and written to.
    public static var directory: String { directoryOverride ?? ProjectPaths.references }

    /// The canonical text of resolved options: `name=value` sorted by name, comma-separated.
    public static func canonicalOptions(_ options: [String: ParameterValue]) -> String {
        options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
    }

    /// The metadata and draws paths for `targetID` with `options`.
    public static func paths(targetID: String, options: [String: ParameterValue]) -> (metadata: String, draws: String) {
        let key = fnv1a(Array(canonicalOptions(options).utf8))
        let base = directory + "/" + targetID + "/" + key
        return (base + ".json", base + ".npy")
    }

    /// The fingerprint of `target` built with `options`.
    public static func fingerprint(of target: any Target, options: [String: ParameterValue]) -> String {
        let text = [target.id, canonicalOptions(options), "d=\(target.dimension)", "recorded=\(target.recordedDimension)",
                    "N=\(target.dataSize)", target.recordedParameterNames.joined(separator: ",")].joined(separator: "|")
        return fnv1a(Array(text.utf8))
    }

    /// Writes `metadata` and `draws` (chain-major, chains × drawsPerChain × d); fills in the
    /// checksum. Returns the metadata path.
    @discardableResult
    public static func store(_ metadata: CachedReference, draws: [Double]) throws -> String {
        var metadata = metadata
        let (metaPath, drawsPath) = paths(targetID: metadata.target, options: metadata.options)
        let folder = (metaPath as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError.file(path: folder, problem: "cannot create the reference folder (\(error.localizedDescription))")
        }
        let d = metadata.parameterNames.count
        try NpyWriter.write(draws, shape: [metadata.chains, metadata.drawsPerChain, d], to: drawsPath)
        guard let bytes = FileManager.default.contents(atPath: drawsPath) else {
            throw WorkbenchError.file(path: drawsPath, problem: "cannot read back the reference draws")
        }
        metadata.drawsChecksum = fnv1a(Array(bytes))
        try JSONOutput.write(metadata, to: metaPath, describing: "the reference metadata")
        return metaPath
    }

    /// The cached reference of `target` built with `options`, or nil when none is cached (or
    /// lookups are disabled). A cached reference that is not for this target (fingerprint), whose
    /// draws do not match their checksum or shape, or whose recorded checks fail the bar is an
    /// error (`malformedData`, exit 65) that says so and how to rebuild it: the workbench never
    /// uses such a reference.
    public static func load(for target: any Target, options: [String: ParameterValue]) throws -> (Reference, CachedReference)? {
        guard lookupEnabled else { return nil }
        let (metaPath, drawsPath) = paths(targetID: target.id, options: options)
        guard FileManager.default.fileExists(atPath: metaPath) else { return nil }
        let metadata = try decodeJSONFile(CachedReference.self, at: metaPath, describing: "the cached reference")
        let rebuild = "rebuild it with `bench reference --target \(target.id)` (or delete it)"
        func reject(_ problem: String) -> WorkbenchError {
            .malformedData(path: metaPath, location: "whole file", problem: problem + "; " + rebuild)
        }
        guard metadata.fingerprint == fingerprint(of: target, options: options) else {
            throw reject("cached for another definition of the target (fingerprint differs)")
        }
        guard metadata.quality.passed, metadata.quality.bar == .posteriordb else {
            throw reject("its recorded quality checks fail: " + metadata.quality.failures.prefix(5).joined(separator: "; "))
        }
        guard let data = FileManager.default.contents(atPath: drawsPath) else {
            throw WorkbenchError.malformedData(path: drawsPath, location: "whole file",
                                               problem: "the reference draws are missing; " + rebuild)
        }
        let bytes = [UInt8](data)
        guard fnv1a(bytes) == metadata.drawsChecksum else {
            throw WorkbenchError.malformedData(path: drawsPath, location: "whole file",
                                               problem: "the draws do not match the checksum their checks were made on; " + rebuild)
        }
        let (values, shape) = try NpyFloat64.read(bytes, path: drawsPath)
        let d = target.recordedDimension
        guard shape == [metadata.chains, metadata.drawsPerChain, d] else {
            throw WorkbenchError.malformedData(path: drawsPath, location: "header",
                                               problem: "shape \(shape), expected [\(metadata.chains), \(metadata.drawsPerChain), \(d)]; " + rebuild)
        }
        return (Reference.fromDraws(values, dimension: d), metadata)
    }

    /// FNV-1a 64-bit hash as 16 hex digits.
    public static func fnv1a(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Reads the `.npy` files `NpyWriter` writes (version 1.0, '<f8', C order).
enum NpyFloat64 {
    static func read(_ bytes: [UInt8], path: String) throws -> (values: [Double], shape: [Int]) {
        func bad(_ problem: String) -> WorkbenchError { .malformedData(path: path, location: "header", problem: problem) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw bad("not a NumPy .npy file")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + headerLength else { throw bad("truncated header") }
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f8'"), header.contains("'fortran_order': False") else {
            throw bad("expected little-endian float64 in C order, found \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw bad("no shape in \(header)")
        }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let start = 10 + headerLength
        guard bytes.count == start + 8 * count else { throw bad("expected \(count) values after the header") }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                values[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self)))
            }
        }
        return (values, shape)
    }
}
