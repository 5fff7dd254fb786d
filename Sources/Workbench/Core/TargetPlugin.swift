/// How a target is registered: its id, what it is, its options with defaults, and a factory
/// that builds it from validated options (e.g. the gradient-noise model of analytic targets).
public struct TargetPlugin: Sendable {
    public let id: String
    public let summary: String
    public let parameters: [ParameterSpec]
    /// The module and file that declared the plugin (`#fileID`, e.g. "Plugins/GaussianIso.swift"):
    /// how a duplicate id is reported without building a target to learn its type.
    public let declaredIn: String
    private let factory: @Sendable (ResolvedParameters) throws -> any Target

    public init(id: String, summary: String, parameters: [ParameterSpec] = [], declaredIn: String = #fileID,
                make: @escaping @Sendable (ResolvedParameters) throws -> any Target) {
        self.id = id
        self.summary = summary
        self.parameters = parameters
        self.declaredIn = declaredIn
        self.factory = make
    }

    /// Validates `options` and builds the target.
    public func make(options given: [String: ParameterValue]) throws -> (any Target, ResolvedParameters) {
        let resolved = try ResolvedParameters(given, specs: parameters, owner: "target \(id)")
        return (try factory(resolved), resolved)
    }
}
