/// Whether larger or smaller values of a metric are better.
public enum Direction: String, Codable, Sendable {
    case higherIsBetter = "higher"
    case lowerIsBetter = "lower"
    /// Informational (e.g. a thinning factor, a step index).
    case neutral
}

/// One named number a diagnostic produced, with its unit and direction.
/// A value that is undefined (a diverged chain, a constant quantity) is nil, encoded as null.
public struct Metric: Codable, Hashable, Sendable {
    public let diagnostic: String
    public let name: String
    public let value: Double?
    public let unit: String
    public let direction: Direction

    public init(diagnostic: String, name: String, value: Double?, unit: String, direction: Direction) {
        self.diagnostic = diagnostic
        self.name = name
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.unit = unit
        self.direction = direction
    }
}

/// A measurement of a finished run against the target's reference (DIAGNOSTICS.md).
///
/// One type per diagnostic, and the type is what gets registered (`Registry.register(D.self)`,
/// or `D.plugin`), as a sampler type is: its static members say what it is (`id`, `summary`,
/// `declaredMetrics`), read without building one, and `init()` builds it with its default
/// settings when a run needs it (`Registry.diagnostic(_:)`). A diagnostic with settings (a cap
/// on draws, a threshold) keeps an initialiser taking them, for tests; `init()` gives the
/// defaults the registry uses.
///
/// Most diagnostics need only the reference and implement `evaluate(_:reference:)`. Those that
/// need more of the target — its score ∇log π = −∇U (`ksd`), its exact sampler (`mmd`), its
/// test-split predictions (`predictive`) — implement `evaluate(_:target:)` too; the runner and
/// `bench diagnose` call that one, and its default forwards to `evaluate(_:reference:)` with
/// `target.reference`. Whatever such a diagnostic spends on the target (full-data gradients,
/// exact draws) is its own cost and is never added to the run's gradient count.
public protocol Diagnostic: Sendable {
    /// The registry id.
    static var id: String { get }
    /// One line for `bench list`.
    static var summary: String { get }
    /// The declared metrics (`MetricName`) this diagnostic emits whenever it applies, which the
    /// core may read; the conformance kit checks that they are emitted. Default: none.
    static var declaredMetrics: [MetricName] { get }
    /// The diagnostic with its default settings.
    init()
    /// The metrics of `run` against `reference`; never throws: an undefined value is nil.
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric]
    /// The metrics of `run` against `target` (its reference, score, exact sampler, predictions).
    func evaluate(_ run: RunRecord, target: any Target) -> [Metric]
}

extension Diagnostic {
    public static var declaredMetrics: [MetricName] { [] }

    /// The type's id, for the metrics an instance emits (`Metric(diagnostic: id, …)`).
    public var id: String { Self.id }

    /// This type as a registry entry: `try Registry.builtin + [MyDiagnostic.plugin]`.
    public static var plugin: DiagnosticPlugin { DiagnosticPlugin(Self.self) }

    public func evaluate(_ run: RunRecord, target: any Target) -> [Metric] {
        evaluate(run, reference: target.reference)
    }
}

/// A registered diagnostic type, erased so the registry can hold many (`Registry.register`):
/// its id, summary and declared metrics read from the type, and its instances built on demand.
public struct DiagnosticPlugin: Sendable {
    /// The registered type.
    public let type: any Diagnostic.Type
    public let id: String
    public let summary: String
    public let declaredMetrics: [MetricName]

    public init<D: Diagnostic>(_ type: D.Type) {
        self.type = type
        id = D.id
        summary = D.summary
        declaredMetrics = D.declaredMetrics
    }

    /// The diagnostic with its default settings (`init()`).
    public func make() -> any Diagnostic { type.init() }
}
