/// The samplers, targets and diagnostics the workbench knows, by id.
///
/// The built-ins are `Registry.builtin` (in the Plugins module); an out-of-tree package adds
/// its own with `try Registry.builtin + mine`. Ids are unique within each kind, and building
/// a registry with a duplicate is an error that names it (and, for `+`, the two plugins).
public struct Registry: Sendable {
    public private(set) var samplers: [SamplerPlugin]
    public private(set) var targets: [TargetPlugin]
    public private(set) var diagnostics: [DiagnosticPlugin]

    public init(samplers: [SamplerPlugin] = [], targets: [TargetPlugin] = [], diagnostics: [DiagnosticPlugin] = []) throws {
        try Self.checkUnique(samplers.map(\.id), kind: "sampler")
        try Self.checkUnique(targets.map(\.id), kind: "target")
        try Self.checkUnique(diagnostics.map(\.id), kind: "diagnostic")
        self.samplers = samplers
        self.targets = targets
        self.diagnostics = diagnostics
    }

    /// Adds the sampler type `S` (`SamplerPlugin.init(_:)` captures its specialised chain
    /// runner here, where the type is concrete). A taken id is an error naming both types.
    @inlinable
    public mutating func register<S: Sampler>(_ type: S.Type) throws {
        self = try self + [SamplerPlugin(type)]
    }

    /// Adds the target type `T`. A taken id is an error naming both types.
    public mutating func register<T: TargetDefinition>(_ type: T.Type) throws {
        self = try self + [TargetPlugin(type)]
    }

    /// Adds the diagnostic type `D`. A taken id is an error naming both types.
    public mutating func register<D: Diagnostic>(_ type: D.Type) throws {
        self = try self + [DiagnosticPlugin(type)]
    }

    /// The union of two registries (e.g. the built-ins and a plugin package's own); an id
    /// that both use is an error naming the two plugins that claim it.
    public static func + (lhs: Registry, rhs: Registry) throws -> Registry {
        try checkDisjoint(lhs.samplers, rhs.samplers, kind: "sampler", id: \.id, describe: describe)
        try checkDisjoint(lhs.targets, rhs.targets, kind: "target", id: \.id, describe: describe)
        try checkDisjoint(lhs.diagnostics, rhs.diagnostics, kind: "diagnostic", id: \.id, describe: describe)
        return try Registry(samplers: lhs.samplers + rhs.samplers, targets: lhs.targets + rhs.targets,
                            diagnostics: lhs.diagnostics + rhs.diagnostics)
    }

    public func sampler(_ id: String) throws -> SamplerPlugin {
        guard let found = samplers.first(where: { $0.id == id }) else {
            throw WorkbenchError.unknownID(kind: "sampler", id: id, accepted: samplers.map(\.id))
        }
        return found
    }

    public func target(_ id: String) throws -> TargetPlugin {
        guard let found = targets.first(where: { $0.id == id }) else {
            throw WorkbenchError.unknownID(kind: "target", id: id, accepted: targets.map(\.id))
        }
        return found
    }

    /// The diagnostic `id` with its default settings, built for a run that needs it.
    public func diagnostic(_ id: String) throws -> any Diagnostic {
        try diagnosticPlugin(id).make()
    }

    /// The registered diagnostic `id` (type, id, summary, declared metrics), without building one.
    public func diagnosticPlugin(_ id: String) throws -> DiagnosticPlugin {
        guard let found = diagnostics.first(where: { $0.id == id }) else {
            throw WorkbenchError.unknownID(kind: "diagnostic", id: id, accepted: diagnostics.map(\.id))
        }
        return found
    }

    /// Checks that every key of a per-sampler setting of a grid spec (`field`, e.g.
    /// "hyperparameters") names a registered sampler. A registered sampler the grid does not
    /// select is fine — a preset's settings outlive `--samplers` — but a misspelt id is an
    /// error listing the registered ones.
    public func checkSamplerIDs<S: Sequence<String>>(_ ids: S, in field: String) throws {
        let registered = samplers.map(\.id)
        for id in ids.sorted() where !registered.contains(id) {
            throw WorkbenchError.unknownID(kind: "sampler in \(field)", id: id, accepted: registered)
        }
    }

    /// Like `checkSamplerIDs` for per-target settings (`field`, e.g. "targetOptions" or
    /// `--target-param`): a key that names no registered target is an error with the closest
    /// id suggested and the registered ones listed.
    public func checkTargetIDs<S: Sequence<String>>(_ ids: S, in field: String) throws {
        let registered = targets.map(\.id)
        for id in ids.sorted() where !registered.contains(id) {
            throw WorkbenchError.unknownID(kind: "target in \(field)", id: id, accepted: registered)
        }
    }

    /// Expands a selection: ["all"] is every id of the kind in registration order; otherwise
    /// each id is checked. An empty selection (`--samplers ""`) is an error: it would select
    /// nothing and run nothing.
    public func samplerIDs(_ selection: [String]) throws -> [String] {
        try Self.checkNotEmpty(selection, kind: "sampler")
        return selection == ["all"] ? samplers.map(\.id) : try selection.map { try sampler($0).id }
    }

    public func targetIDs(_ selection: [String]) throws -> [String] {
        try Self.checkNotEmpty(selection, kind: "target")
        return selection == ["all"] ? targets.map(\.id) : try selection.map { try target($0).id }
    }

    public func diagnosticIDs(_ selection: [String]) throws -> [String] {
        try Self.checkNotEmpty(selection, kind: "diagnostic")
        return selection == ["all"] ? diagnostics.map(\.id) : try selection.map { try diagnosticPlugin($0).id }
    }

    private static func checkNotEmpty(_ selection: [String], kind: String) throws {
        if selection.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
            throw WorkbenchError.unsupported(
                "empty \(kind) selection (it would run nothing); accepted: one or more comma-separated \(kind) ids, or 'all' (see `bench list`)")
        }
    }

    private static func checkDisjoint<P>(_ lhs: [P], _ rhs: [P], kind: String, id: (P) -> String,
                                         describe: (P) -> String) throws {
        for plugin in rhs {
            if let taken = lhs.first(where: { id($0) == id(plugin) }) {
                throw WorkbenchError.duplicatePlugin(
                    kind: kind, id: id(plugin), first: describe(taken), second: describe(plugin))
            }
        }
    }

    /// A plugin named by its Swift type (module-qualified, so the built-in and the plugin
    /// package's are told apart) and its summary.
    private static func describe(_ plugin: SamplerPlugin) -> String {
        if let manifest = plugin.external { return "the external sampler of \(manifest.path) (\(plugin.summary))" }
        return "\(String(reflecting: plugin.type)) (\(plugin.summary))"
    }

    private static func describe(_ plugin: TargetPlugin) -> String {
        "\(String(reflecting: plugin.type)) (\(plugin.summary))"
    }

    private static func describe(_ plugin: DiagnosticPlugin) -> String {
        "\(String(reflecting: plugin.type)) (\(plugin.summary))"
    }

    private static func checkUnique(_ ids: [String], kind: String) throws {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw WorkbenchError.duplicateID(kind: kind, id: id)
        }
    }
}
