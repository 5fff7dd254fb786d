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
public protocol Diagnostic: Sendable {
    /// The registry id.
    var id: String { get }
    /// One line for `bench list`.
    var summary: String { get }
    /// The metrics of `run` against `reference`; never throws: an undefined value is nil.
    func evaluate(_ run: RunRecord, reference: Reference) -> [Metric]
}
