/// A value of a plugin parameter: a number or a choice among names. Encodes as a bare JSON
/// number or string, so grid files read naturally (`{"alpha": 0.99, "noise": "isotropic"}`).
public enum ParameterValue: Codable, Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let x): try container.encode(x)
        case .text(let s): try container.encode(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let x): return formatNumber(x)
        case .text(let s): return s
        }
    }
}

/// The declaration of one parameter of a sampler (a hyperparameter) or a target (an option):
/// its name, default, what it means, and what values it accepts.
public struct ParameterSpec: Sendable {
    public enum Domain: Sendable {
        /// A real number in `range`; `integral` requires a whole number; `open` excludes the
        /// named ends of the range (a rate that must be > 0, a decay that must be < 1).
        case real(ClosedRange<Double>, integral: Bool = false, open: OpenEnds = [])
        /// One of the listed names.
        case choice([String])
    }

    public let name: String
    public let defaultValue: ParameterValue
    public let summary: String
    public let domain: Domain
    /// Other spellings a choice accepts, each resolved to the choice it names
    /// (`ParameterChoice.aliases`).
    public let aliases: [String: String]

    /// Which ends of a real range are excluded.
    public struct OpenEnds: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// The lower bound is excluded: (a, b].
        public static let lower = OpenEnds(rawValue: 1)
        /// The upper bound is excluded: [a, b).
        public static let upper = OpenEnds(rawValue: 2)
    }

    public init(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>,
                integral: Bool = false, open: OpenEnds = [], _ summary: String) {
        self.name = name
        self.defaultValue = .number(defaultValue)
        self.summary = summary
        self.domain = .real(range, integral: integral, open: open)
        self.aliases = [:]
    }

    public init(_ name: String, default defaultValue: String, choices: [String], aliases: [String: String] = [:],
                _ summary: String) {
        self.name = name
        self.defaultValue = .text(defaultValue)
        self.summary = summary
        self.domain = .choice(choices)
        self.aliases = aliases
    }

    /// What the domain accepts, in words, for error messages and `bench list`.
    public var acceptedDescription: String {
        switch domain {
        case let .real(range, integral, open):
            let kind = integral ? "a whole number" : "a number"
            let left = open.contains(.lower) ? "(" : "[", right = open.contains(.upper) ? ")" : "]"
            return "\(kind) in \(left)\(formatNumber(range.lowerBound)), \(formatNumber(range.upperBound))\(right)"
        case .choice(let names):
            return "one of " + names.joined(separator: ", ")
        }
    }

    /// Checks `value` against the domain; `owner` names the plugin in the error.
    public func validate(_ value: ParameterValue, owner: String) throws -> ParameterValue {
        switch (domain, value) {
        case let (.real(range, integral, open), .number(x)):
            guard x.isFinite, range.contains(x), !integral || x.rounded() == x,
                  !(open.contains(.lower) && x == range.lowerBound),
                  !(open.contains(.upper) && x == range.upperBound) else { break }
            return value
        case let (.real, .text(text)):
            if let x = Double(text) { return try validate(.number(x), owner: owner) }
        case let (.choice(names), .text(text)):
            if names.contains(text) { return value }
            if let canonical = aliases[text] { return .text(canonical) }
        case (.choice, .number):
            break
        }
        throw WorkbenchError.invalidValue(
            owner: owner, name: "parameter \(name)", value: value.description, accepted: acceptedDescription)
    }
}

/// Parameter values resolved against their specs: every declared parameter has a validated
/// value (the default where none was given), and no undeclared name is present.
///
/// It is what the core records and passes around (and what an external sampler's child
/// receives); a plugin receives its own typed set (`ParameterSet`) decoded from it.
public struct ResolvedParameters: Codable, Hashable, Sendable {
    public let values: [String: ParameterValue]

    /// No values (a plugin without parameters, before resolution).
    public init() { values = [:] }

    /// Resolves `given` against `specs`; an unknown name or a value outside a domain is an
    /// error that names `owner`, the parameter, and what is accepted.
    public init(_ given: [String: ParameterValue], specs: [ParameterSpec], owner: String) throws {
        for name in given.keys.sorted() where !specs.contains(where: { $0.name == name }) {
            if specs.isEmpty {
                // "target sblri" → "this target has no parameters", rather than an empty list.
                let kind = owner.split(separator: " ").first.map(String.init) ?? owner
                throw WorkbenchError.invalidValue(owner: owner, name: "parameter", value: name,
                                                  accepted: "none; this \(kind) has no parameters")
            }
            throw WorkbenchError.unknownID(
                kind: "parameter of \(owner)", id: name, accepted: specs.map(\.name))
        }
        var values: [String: ParameterValue] = [:]
        for spec in specs {
            values[spec.name] = try spec.validate(given[spec.name] ?? spec.defaultValue, owner: owner)
        }
        self.values = values
    }
}

/// Parses `name=value` assignments (CLI `--param`), numbers where they parse, names otherwise.
public func parseAssignments(_ items: [String], option: String) throws -> [String: ParameterValue] {
    var result: [String: ParameterValue] = [:]
    for item in items {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
            throw WorkbenchError.invalidValue(
                owner: "bench", name: option, value: item, accepted: "name=value, e.g. alpha=0.99")
        }
        let name = String(item[..<eq])
        let text = String(item[item.index(after: eq)...])
        result[name] = Double(text).map(ParameterValue.number) ?? .text(text)
    }
    return result
}

/// A number in the shortest form that reads back exactly (1e-04 → "0.0001", 10000000 → "1e+07").
public func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e6 { return String(Int(x)) }
    return "\(x)"
}
