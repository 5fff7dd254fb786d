/// A target as a registered type: its id, what it is, its options (a `ParameterSet`), and how
/// it is built from them. The type is what gets registered (`Registry.register(GaussianIso.self)`),
/// as a sampler type is: a namespace (`enum`) whose `make` returns the target built for the
/// options (e.g. wrapped in a gradient-noise model), or the `Target` struct itself (then its
/// instance `id` is `Self.id`).
///
///     public enum GaussianIso: TargetDefinition {
///         public static let id = "gaussian-iso"
///         public static let summary = "isotropic Gaussian N(0, I_d), d = 100"
///         public struct Options: ParameterSet {
///             @Integer(in: 1...100_000, help: "d") public var dimension = 100
///             public var gradientNoise = GradientNoiseOptions<GradientNoiseModel>()
///             public init() {}
///         }
///         public static func make(options: Options) throws -> any Target { … }
///     }
///
/// `bench list`, validation, grid specs and the conformance kit read `Options.declarations`;
/// `make` receives the options validated and decoded, and never reads them by name. A target
/// that keys something by its options (a cached reference, `ReferenceCache`) uses
/// `options.parameterValues`, the resolved values the runner records.
public protocol TargetDefinition {
    /// The target's options (default none).
    associatedtype Options: ParameterSet = NoParameters
    /// The id commands and grid specs name the target by, e.g. "gaussian-iso".
    static var id: String { get }
    /// One line for `bench list`.
    static var summary: String { get }
    /// The target for validated options. Throws a `WorkbenchError` for a combination the
    /// declared domains cannot express, or when its data cannot be read.
    static func make(options: Options) throws -> any Target
}

extension TargetDefinition {
    /// This type as a registry entry: `try Registry.builtin + [MyTarget.plugin]`.
    public static var plugin: TargetPlugin { TargetPlugin(Self.self) }
}

/// A registered target type, erased so the registry can hold many (`Registry.register`): its
/// id, summary and option declarations read from the type, and its factory.
public struct TargetPlugin: Sendable {
    /// The registered type.
    public let type: any TargetDefinition.Type
    public let id: String
    public let summary: String
    public let parameters: [ParameterSpec]
    private let factory: @Sendable (ResolvedParameters) throws -> any Target

    public init<T: TargetDefinition>(_ type: T.Type) {
        self.type = type
        self.id = T.id
        self.summary = T.summary
        self.parameters = T.Options.declarations
        self.factory = { try T.make(options: try T.Options(resolved: $0)) }
    }

    /// Validates `options` and builds the target.
    public func make(options given: [String: ParameterValue]) throws -> (any Target, ResolvedParameters) {
        let resolved = try ResolvedParameters(given, specs: parameters, owner: "target \(id)")
        return (try factory(resolved), resolved)
    }
}
