/// A deterministic slice of a grid's cells for scale-out without a scheduler: shard K of N
/// holds the cells whose position in the grid's cell order is ≡ K − 1 (mod N). The N shards
/// partition the grid, and `bench merge` puts their outputs back together.
public struct Shard: Codable, Hashable, Sendable, CustomStringConvertible {
    /// 1-based shard number K.
    public let index: Int
    /// Number of shards N.
    public let count: Int

    /// Parses "K/N" with 1 ≤ K ≤ N.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            throw WorkbenchError.invalidValue(owner: "bench grid", name: "shard", value: text,
                                              accepted: "K/N with whole numbers 1 ≤ K ≤ N, e.g. 2/4")
        }
        index = k
        count = n
    }

    /// Whether the cell at `position` (0-based, in grid order) belongs to this shard.
    public func contains(position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
