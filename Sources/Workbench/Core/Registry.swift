/// The samplers, targets and diagnostics the workbench knows, by id.
///
/// The built-ins are `Registry.builtin` (in the Plugins module); an out-of-tree package adds
/// its own with `try Registry.builtin + mine`. Ids are unique within each kind, and building
/// a registry with a duplicate is an error that names it.
public struct Registry: Sendable {
    public let samplers: [SamplerPlugin]
    public let targets: [TargetPlugin]
    public let diagnostics: [any Diagnostic]

    public init(samplers: [SamplerPlugin] = [], targets: [TargetPlugin] = [], diagnostics: [any Diagnostic] = []) throws {
        try Self.checkUnique(samplers.map(\.id), kind: "sampler")
        try Self.checkUnique(targets.map(\.id), kind: "target")
        try Self.checkUnique(diagnostics.map(\.id), kind: "diagnostic")
        self.samplers = samplers
        self.targets = targets
        self.diagnostics = diagnostics
    }

    /// The union of two registries; a duplicate id is an error.
    public static func + (lhs: Registry, rhs: Registry) throws -> Registry {
        try Registry(samplers: lhs.samplers + rhs.samplers, targets: lhs.targets + rhs.targets,
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

    public func diagnostic(_ id: String) throws -> any Diagnostic {
        guard let found = diagnostics.first(where: { $0.id == id }) else {
            throw WorkbenchError.unknownID(kind: "diagnostic", id: id, accepted: diagnostics.map(\.id))
        }
        return found
    }

    /// Expands a selection: ["all"] is every id of the kind in registration order; otherwise
    /// each id is checked.
    public func samplerIDs(_ selection: [String]) throws -> [String] {
        selection == ["all"] ? samplers.map(\.id) : try selection.map { try sampler($0).id }
    }

    public func targetIDs(_ selection: [String]) throws -> [String] {
        selection == ["all"] ? targets.map(\.id) : try selection.map { try target($0).id }
    }

    public func diagnosticIDs(_ selection: [String]) throws -> [String] {
        selection == ["all"] ? diagnostics.map(\.id) : try selection.map { try diagnostic($0).id }
    }

    private static func checkUnique(_ ids: [String], kind: String) throws {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw WorkbenchError.duplicateID(kind: kind, id: id)
        }
    }
}
