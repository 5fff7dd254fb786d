/// How many data one stochastic gradient reads: all N (`full`), or a minibatch of n.
///
/// The one encoding of a batch size from the command line to the oracle: a cell
/// (`Cell.batchSize`), its result (`CellResult.batchSize`), a target's default
/// (`Target.defaultBatchSize`) and the oracle (`GradientOracle.batch`) all hold one. A size of
/// at least N means the full data set; `resolved(dataSize:)` is the one place that says so, and
/// what grids, `bench run` and the oracle all call, so a cell never holds `.size(n)` with
/// n ≥ N.
///
/// Encodings (unchanged from when `nil` meant full batch, so results folders and baselines
/// load as they were): a JSON number n or the string "full" on its own or in an array; as a
/// field of a keyed container (a cell, a result), the number n or no key at all for full
/// batch (the `KeyedEncodingContainer` overloads below); "n=256" or "n=full" in a cell key.
public enum BatchSize: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Every datum: the exact gradient ∇U.
    case full
    /// A minibatch of n ≥ 1 data per gradient.
    case size(Int)

    public init(integerLiteral n: Int) { self = .size(n) }

    /// This batch size on a data set of N: `.full` when it asks for N or more.
    public func resolved(dataSize: Int) -> BatchSize {
        if case .size(let n) = self, n < dataSize { return self }
        return .full
    }

    /// The data one gradient reads on a data set of N: n, or N for full batch (at most N).
    public func count(dataSize: Int) -> Int {
        if case .size(let n) = self { return min(n, dataSize) }
        return dataSize
    }

    /// Whether this is the full data set (as resolved: `.size(n)` with n ≥ N is not).
    public var isFull: Bool {
        if case .full = self { return true }
        return false
    }

    /// "full" or the number n.
    public var description: String {
        switch self {
        case .full: return "full"
        case .size(let n): return String(n)
        }
    }

    /// Parses "full" or a whole number ≥ 1.
    public init(parsing text: String) throws {
        if text == "full" {
            self = .full
        } else if let n = Int(text), n >= 1 {
            self = .size(n)
        } else {
            throw WorkbenchError.invalidValue(owner: "bench", name: "batch size", value: text, accepted: BatchSize.accepted)
        }
    }

    /// What `init(parsing:)` accepts, for messages.
    public static let accepted = "a whole number ≥ 1 or 'full'"
}

extension BatchSize: Codable {
    /// A number n or the string "full".
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self) {
            self = .size(n)
        } else if try container.decode(String.self) == "full" {
            self = .full
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a batch size is a whole number ≥ 1 or \"full\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .full: try container.encode("full")
        case .size(let n): try container.encode(n)
        }
    }
}

// A batch size as a field: n, or no key for full batch, as when the field was `Int?` with nil
// for full batch. The synthesised Codable conformances of `Cell` and `CellResult` (in this
// module) pick these overloads over the generic ones, so results.jsonl is unchanged.
extension KeyedEncodingContainer {
    public mutating func encode(_ value: BatchSize, forKey key: Key) throws {
        if case .size(let n) = value { try encode(n, forKey: key) }
    }
}

extension KeyedDecodingContainer {
    public func decode(_ type: BatchSize.Type, forKey key: Key) throws -> BatchSize {
        try decodeIfPresent(Int.self, forKey: key).map(BatchSize.size) ?? .full
    }
}

/// A batch size as a grid spec or the command line asks for it: a `BatchSize`, or the target's
/// default (`Target.defaultBatchSize`: 256 for analytic targets with gradient noise, full batch
/// otherwise). Encodes as a JSON number or the string "full" or "default" (grid.json's
/// `batchSizes`, and so the spec hash).
public enum BatchSizeChoice: Codable, Hashable, Sendable, CustomStringConvertible {
    case targetDefault
    case given(BatchSize)

    public static let full = BatchSizeChoice.given(.full)
    public static func size(_ n: Int) -> BatchSizeChoice { .given(.size(n)) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self) {
            self = .size(n)
        } else {
            let text = try container.decode(String.self)
            guard let parsed = try? BatchSizeChoice(parsing: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "a batch size is a whole number ≥ 1, \"full\" or \"default\"")
            }
            self = parsed
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .targetDefault: try container.encode("default")
        case .given(.full): try container.encode("full")
        case .given(.size(let n)): try container.encode(n)
        }
    }

    /// Parses "default", "full" or a positive whole number.
    public init(parsing text: String) throws {
        if text == "default" {
            self = .targetDefault
        } else if let size = try? BatchSize(parsing: text) {
            self = .given(size)
        } else {
            throw WorkbenchError.invalidValue(owner: "bench", name: "batch size", value: text, accepted: Self.accepted)
        }
    }

    /// What `init(parsing:)` accepts, for messages and help.
    public static let accepted = "a whole number ≥ 1, 'full' or 'default'"

    public var description: String {
        switch self {
        case .targetDefault: return "default"
        case .given(let size): return size.description
        }
    }

    /// The batch size this means for `target`, resolved against its data size N.
    public func resolved(for target: any Target) -> BatchSize {
        switch self {
        case .targetDefault: return target.defaultBatchSize.resolved(dataSize: target.dataSize)
        case .given(let size): return size.resolved(dataSize: target.dataSize)
        }
    }
}
