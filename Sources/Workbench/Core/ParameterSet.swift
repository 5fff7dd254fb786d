import Foundation

/// A plugin's parameters declared once, as typed properties: a sampler's hyperparameters
/// (`Sampler.Parameters`) or a target's options (`TargetDefinition.Options`).
///
/// Each parameter is a stored property with a property wrapper that carries its default (the
/// property's initial value), its accepted values and a one-line help — `@Real`, `@Integer`,
/// `@Choice` (an `enum …: String, ParameterChoice`) — in the style of swift-argument-parser's
/// `@Option`. Its name is the property's, in kebab case (`scheduleDecay` → `schedule-decay`),
/// unless the wrapper gives one (`@Real(name: "A", …)`). A stored property whose type is
/// itself a `ParameterSet` contributes its parameters in place (a group shared by several
/// plugins, like the gradient-noise options of the analytic targets).
///
///     public struct Parameters: ParameterSet {
///         @Real(in: 0...1, help: "γ of h_t = h (b + t)^(−γ); 0 keeps h constant")
///         public var scheduleDecay = 0.0
///         public init() {}
///     }
///
/// The plugin reads `parameters.scheduleDecay`: a misspelt name does not compile. The same
/// declaration feeds `bench list`, validation and its messages, grid specs, the conformance
/// kit and the scaffold, through `declarations` (`ParameterSpec`s, in declaration order).
/// `init()` must give every default; values reach a plugin validated (`ResolvedParameters`)
/// and decoded into the set (`init(resolved:)`).
public protocol ParameterSet: Decodable, Sendable {
    /// The set with every parameter at its default.
    init()
    /// The declarations, in order: name, default, accepted values and help of each parameter.
    static var declarations: [ParameterSpec] { get }
    /// The set holding `resolved`'s values (validated against `declarations`).
    init(resolved: ResolvedParameters) throws
}

extension ParameterSet {
    public static var declarations: [ParameterSpec] { fields.map(\.spec) }

    public init(resolved: ResolvedParameters) throws {
        var tree = ParameterTree.group([:])
        for field in Self.fields {
            guard let value = resolved.values[field.spec.name] else {
                throw WorkbenchError.unsupported("parameter \(field.spec.name) has no resolved value")
            }
            tree.insert(value, at: field.path)
        }
        self = try JSONDecoder().decode(Self.self, from: JSONEncoder().encode(tree))
    }

    /// The set's values by parameter name, as `init(resolved:)` decoded them (what a target
    /// keys its cached reference by, `ReferenceCache`): each declared parameter's name (read
    /// from the defaults) with this set's value (a
    /// declaration carries its property's current value as its `defaultValue`; a decoded
    /// wrapper has lost its explicit name, so the names come from `Self()`, walked in the same
    /// order).
    public var parameterValues: [String: ParameterValue] {
        Dictionary(uniqueKeysWithValues: zip(Self.fields, parameterFields(of: self)).map { ($0.spec.name, $1.spec.defaultValue) })
    }

    /// The set holding `resolved`'s values; `resolved` must have been validated against
    /// `declarations` (then decoding cannot fail: a failure is a bug in the set's declaration).
    public static func decoded(_ resolved: ResolvedParameters) -> Self {
        do {
            return try Self(resolved: resolved)
        } catch {
            preconditionFailure("\(Self.self) does not decode its own resolved values: \(error)")
        }
    }

    /// Each declared parameter with the coding path of its property (a group's label, then the
    /// property's), read from the defaults.
    static var fields: [(path: [String], spec: ParameterSpec)] { parameterFields(of: Self()) }
}

/// The declared parameters of `set`, walking groups in place.
private func parameterFields(of set: some ParameterSet) -> [(path: [String], spec: ParameterSpec)] {
    Mirror(reflecting: set).children.flatMap { child -> [(path: [String], spec: ParameterSpec)] in
        guard let label = child.label else { return [] }
        if let declaration = child.value as? any ParameterDeclaration {
            let property = label.hasPrefix("_") ? String(label.dropFirst()) : label
            return [([property], declaration.spec(propertyName: property))]
        }
        if let group = child.value as? any ParameterSet {
            return parameterFields(of: group).map { ([label] + $0.path, $0.spec) }
        }
        return []
    }
}

/// The values of a set as JSON, nested as its groups are, for its synthesised `Decodable`.
private enum ParameterTree: Encodable {
    case value(ParameterValue)
    case group([String: ParameterTree])

    mutating func insert(_ value: ParameterValue, at path: [String]) {
        guard case .group(var children) = self, let head = path.first else { return }
        if path.count == 1 {
            children[head] = .value(value)
        } else {
            var child = children[head] ?? .group([:])
            child.insert(value, at: Array(path.dropFirst()))
            children[head] = child
        }
        self = .group(children)
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .value(let value): try value.encode(to: encoder)
        case .group(let children): try children.encode(to: encoder)
        }
    }
}

/// The set of a plugin without parameters.
public struct NoParameters: ParameterSet, Equatable {
    public init() {}
}

/// A parameter's property wrapper: its declaration, given the property's name.
protocol ParameterDeclaration {
    func spec(propertyName: String) -> ParameterSpec
}

/// The parameter name of a property: its explicit name, or the property's in kebab case.
private func parameterName(_ explicit: String?, propertyName: String) -> String {
    if let explicit { return explicit }
    var name = ""
    for character in propertyName {
        if character.isUppercase, !name.isEmpty { name += "-" }
        name += character.lowercased()
    }
    return name
}

/// A real-valued parameter: `@Real(in: 0...1, help: "…") var alpha = 0.99`.
@propertyWrapper
public struct Real: Decodable, Sendable, ParameterDeclaration {
    public var wrappedValue: Double
    let name: String?
    let range: ClosedRange<Double>
    let open: ParameterSpec.OpenEnds
    let help: String

    /// `open` excludes the named ends of `range` (a rate that must be > 0: `open: .lower`).
    public init(wrappedValue: Double, name: String? = nil, in range: ClosedRange<Double>,
                open: ParameterSpec.OpenEnds = [], help: String) {
        self.wrappedValue = wrappedValue
        (self.name, self.range, self.open, self.help) = (name, range, open, help)
    }

    public init(from decoder: Decoder) throws {
        self.init(wrappedValue: try decoder.singleValueContainer().decode(Double.self), in: 0...0, help: "")
    }

    func spec(propertyName: String) -> ParameterSpec {
        ParameterSpec(parameterName(name, propertyName: propertyName), default: wrappedValue, in: range, open: open, help)
    }
}

/// A whole-number parameter: `@Integer(in: 1...1000, help: "…") var probes = 1`.
@propertyWrapper
public struct Integer: Decodable, Sendable, ParameterDeclaration {
    public var wrappedValue: Int
    let name: String?
    let range: ClosedRange<Int>
    let help: String

    public init(wrappedValue: Int, name: String? = nil, in range: ClosedRange<Int>, help: String) {
        self.wrappedValue = wrappedValue
        (self.name, self.range, self.help) = (name, range, help)
    }

    public init(from decoder: Decoder) throws {
        let x = try decoder.singleValueContainer().decode(Double.self)
        guard let whole = Int(exactly: x) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(x) is not a whole number"))
        }
        self.init(wrappedValue: whole, in: 0...0, help: "")
    }

    func spec(propertyName: String) -> ParameterSpec {
        ParameterSpec(parameterName(name, propertyName: propertyName), default: Double(wrappedValue),
                      in: Double(range.lowerBound)...Double(range.upperBound), integral: true, help)
    }
}

/// The values of a choice parameter: `enum Coupling: String, ParameterChoice { case none, paper }`,
/// listed in `allCases` order. `aliases` are other spellings accepted for a case (spellings an
/// older version declared), resolved to the case's own name.
public protocol ParameterChoice: RawRepresentable, CaseIterable, Decodable, Sendable where RawValue == String {
    static var aliases: [String: Self] { get }
}

extension ParameterChoice {
    public static var aliases: [String: Self] { [:] }
}

/// A choice parameter: `@Choice(help: "…") var coupling = Coupling.none`.
@propertyWrapper
public struct Choice<Value: ParameterChoice>: Decodable, Sendable, ParameterDeclaration {
    public var wrappedValue: Value
    let name: String?
    let help: String

    public init(wrappedValue: Value, name: String? = nil, help: String) {
        self.wrappedValue = wrappedValue
        (self.name, self.help) = (name, help)
    }

    public init(from decoder: Decoder) throws {
        self.init(wrappedValue: try decoder.singleValueContainer().decode(Value.self), help: "")
    }

    func spec(propertyName: String) -> ParameterSpec {
        ParameterSpec(parameterName(name, propertyName: propertyName), default: wrappedValue.rawValue,
                      choices: Value.allCases.map(\.rawValue), aliases: Value.aliases.mapValues(\.rawValue), help)
    }
}
