import Foundation

/// A sampler manifest, `NAME.sampler.json` or `.yaml` (docs/EXTERNAL.md): what an external
/// sampler is and costs, and the command that starts its child process.
///
/// The fields mirror a Swift sampler's static members (`Sampler`): `id`, `summary`,
/// `hyperparameters` (the `ParameterSpec` shape: a number in a range, or a choice),
/// `stepSize` (the `StepSizePolicy`) and `gradientCost` (the declared `GradientCost`, which
/// the workbench checks against the counted cost of every cell). `command` is an argv: an
/// element that names a file beside the manifest (`sgld.py`, `./run.sh`) is taken relative to
/// the manifest's folder, the others as they are (`python3` is looked up in `PATH`); the child
/// runs in the manifest's folder. `files` names more files whose contents are part of the
/// sampler's identity (a library the script imports). Unknown fields are errors.
public struct ExternalManifest: Sendable, Hashable {
    /// The manifest file as given (`--external FILE`).
    public let path: String
    public let id: String
    public let summary: String
    /// The argv as written in the manifest.
    public let command: [String]
    public let hyperparameters: [Hyperparameter]
    public let stepSize: StepSize
    public let gradientCost: Cost
    public let files: [String]

    /// One hyperparameter: `{"name", "default", "summary"}` plus `"range": [lo, hi]` (with
    /// optional `"integral"`, `"open": ["lower"|"upper"]`) for a number, or `"choices"` for a name.
    public struct Hyperparameter: Codable, Sendable, Hashable {
        public let name: String
        public let `default`: ParameterValue
        public let summary: String?
        public let range: [Double]?
        public let integral: Bool?
        public let open: [String]?
        public let choices: [String]?
    }

    /// `{"policy": "fixed" | "adaptive" | "none", "default": h₀, "scaling": "time" | "length" | "none"}`.
    public struct StepSize: Codable, Sendable, Hashable {
        public let policy: String
        public let `default`: Double?
        public let scaling: StepSizeDefault.Scaling?
    }

    /// Gradients per step and at set-up per chain, as `GradientCost` counts them (fields
    /// absent are 0).
    public struct Cost: Codable, Sendable, Hashable {
        public let batchGradientsPerStep: Int?
        public let fullGradientsPerStep: Int?
        public let setupBatchGradients: Int?
        public let setupFullGradients: Int?

        public var cost: GradientCost {
            GradientCost(batchGradientsPerStep: batchGradientsPerStep ?? 0, fullGradientsPerStep: fullGradientsPerStep ?? 0,
                         setupBatchGradients: setupBatchGradients ?? 0, setupFullGradients: setupFullGradients ?? 0)
        }
    }

    /// The folder the manifest is in: where relative command elements and `files` are taken
    /// from and where the child runs.
    public var folder: String { (Self.absolute(path) as NSString).deletingLastPathComponent }

    /// The argv the child is started with: elements naming a file in `folder` made absolute.
    public var argv: [String] {
        command.map { element in
            let candidate = folder + "/" + element
            return !element.hasPrefix("/") && FileManager.default.fileExists(atPath: candidate) ? candidate : element
        }
    }

    /// The files whose contents are the sampler's identity: the manifest, every command
    /// element that names a file (beside the manifest, or an absolute path), and `files`.
    public var identityFiles: [String] {
        var paths = [Self.absolute(path)]
        for element in command {
            let candidate = element.hasPrefix("/") ? element : folder + "/" + element
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue { paths.append(candidate) }
        }
        paths += files.map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 }
        return paths
    }

    /// What a grid records of this sampler (`GridSpec.externalSamplers`): the manifest's path
    /// and the SHA-256 of the identity files' contents, each prefixed by its name relative to
    /// the manifest's folder, so a changed script, manifest or library changes the spec.
    public func identity() throws -> ExternalSamplerIdentity {
        var bytes: [UInt8] = []
        for file in identityFiles {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw WorkbenchError.file(path: file, problem: "cannot read a file of external sampler \(id) (manifest \(path))")
            }
            let name = file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file
            bytes += Array("\(name)\n\(data.count)\n".utf8)
            bytes += data
        }
        return ExternalSamplerIdentity(manifest: path, sha256: SHA256.hex(bytes))
    }

    /// Reads and checks the manifest at `path` (JSON, or YAML for .yaml/.yml).
    public static func load(_ path: String) throws -> ExternalManifest {
        let body = try decodeJSONFile(Body.self, at: path, describing: "the sampler manifest")
        let manifest = ExternalManifest(path: path, id: body.id, summary: body.summary, command: body.command,
                                        hyperparameters: body.hyperparameters ?? [], stepSize: body.stepSize,
                                        gradientCost: body.gradientCost, files: body.files ?? [])
        try manifest.validate()
        return manifest
    }

    /// The manifest's fields, decoded strictly.
    struct Body: Decodable {
        let id: String
        let summary: String
        let command: [String]
        let hyperparameters: [Hyperparameter]?
        let stepSize: StepSize
        let gradientCost: Cost
        let files: [String]?

        enum Key: String, CodingKey, CaseIterable { case id, summary, command, hyperparameters, stepSize, gradientCost, files }

        init(from decoder: Decoder) throws {
            try StrictDecoding.rejectUnknownFields(decoder, keys: Key.self, what: "field")
            let c = try decoder.container(keyedBy: Key.self)
            id = try c.decode(String.self, forKey: .id)
            summary = try c.decode(String.self, forKey: .summary)
            command = try c.decode([String].self, forKey: .command)
            hyperparameters = try c.decodeIfPresent([Hyperparameter].self, forKey: .hyperparameters)
            stepSize = try c.decode(StepSize.self, forKey: .stepSize)
            gradientCost = try c.decode(Cost.self, forKey: .gradientCost)
            files = try c.decodeIfPresent([String].self, forKey: .files)
        }
    }

    /// The declared hyperparameters as `ParameterSpec`s.
    public func parameterSpecs() throws -> [ParameterSpec] {
        try hyperparameters.map { h in
            let summary = h.summary ?? ""
            switch (h.default, h.range, h.choices) {
            case let (.number(x), range?, nil) where range.count == 2 && range[0] <= range[1]:
                var open: ParameterSpec.OpenEnds = []
                for end in h.open ?? [] {
                    switch end {
                    case "lower": open.insert(.lower)
                    case "upper": open.insert(.upper)
                    default: throw invalid("hyperparameter \(h.name) open", end, "lower, upper")
                    }
                }
                return ParameterSpec(h.name, default: x, in: range[0]...range[1], integral: h.integral ?? false, open: open, summary)
            case let (.text(name), nil, choices?) where choices.contains(name):
                return ParameterSpec(h.name, default: name, choices: choices, summary)
            default:
                throw invalid("hyperparameter \(h.name)", "\(h.default)",
                              "a number default with \"range\": [lo, hi] (lo ≤ hi), or a name default among \"choices\"")
            }
        }
    }

    /// The step-size policy the manifest declares.
    public func stepSizePolicy() throws -> StepSizePolicy {
        func declaredDefault() throws -> StepSizeDefault {
            guard let h = stepSize.default, h.isFinite, h > 0 else {
                throw invalid("stepSize.default", stepSize.default.map { "\($0)" } ?? "none", "a finite number > 0")
            }
            return StepSizeDefault(h, scaling: stepSize.scaling ?? .time)
        }
        switch stepSize.policy {
        case "none": return .none
        case "fixed": return .fixed(stepSize.default == nil ? nil : try declaredDefault())
        case "adaptive": return .adaptiveInitial(try declaredDefault())
        default: throw invalid("stepSize.policy", stepSize.policy, "fixed, adaptive, none")
        }
    }

    func validate() throws {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw invalid("id", id, "letters, digits, '-', '_' and '.'")
        }
        guard !command.isEmpty, !command[0].isEmpty else { throw invalid("command", "[]", "an argv with at least the program") }
        let c = gradientCost
        for (name, k) in [("batchGradientsPerStep", c.batchGradientsPerStep), ("fullGradientsPerStep", c.fullGradientsPerStep),
                          ("setupBatchGradients", c.setupBatchGradients), ("setupFullGradients", c.setupFullGradients)] {
            if let k, k < 0 { throw invalid("gradientCost.\(name)", "\(k)", "a whole number ≥ 0") }
        }
        _ = try parameterSpecs()
        _ = try stepSizePolicy()
    }

    private func invalid(_ name: String, _ value: String, _ accepted: String) -> WorkbenchError {
        WorkbenchError.invalidValue(owner: "sampler manifest \(path)", name: name, value: value, accepted: accepted)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// What a grid spec records of an external sampler (`GridSpec.externalSamplers`): its
/// manifest's path as given and the SHA-256 of the files that make it (`ExternalManifest.identity()`).
public struct ExternalSamplerIdentity: Codable, Sendable, Hashable {
    public let manifest: String
    public let sha256: String

    public init(manifest: String, sha256: String) {
        self.manifest = manifest
        self.sha256 = sha256
    }
}
