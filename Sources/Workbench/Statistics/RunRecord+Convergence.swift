/// Bulk-ESS, tail-ESS and R̂ of one coordinate x of a run, and the bulk-ESS of x², on the
/// stored draws of its healthy chains (each truncated to their common length). Nil where
/// undefined (see ``ConvergenceStatistics``).
public struct CoordinateConvergence: Hashable, Sendable {
    /// Of x; `tailESS` and `rhat` are nil when they were not asked for.
    public var summary: ConvergenceSummary
    /// ``ConvergenceStatistics/bulkESS(_:)`` of x².
    public var squaresBulkESS: Double?
}

extension RunRecord {
    /// Coordinates gathered per task: one pass over the row-major draws serves this many
    /// coordinates (a cache line of them), instead of one strided pass per coordinate.
    static let coordinatesPerBlock = 8

    /// ``CoordinateConvergence`` of every coordinate, in order; tail-ESS and R̂ only when
    /// `tailAndRhat`, the bulk-ESS of x² only when `squares`. Coordinates run in parallel, each a pure function of its draws, so the
    /// result does not depend on the number of cores. One sort per coordinate serves x and x².
    public func convergenceByCoordinate(tailAndRhat: Bool = true, squares: Bool = true) -> [CoordinateConvergence] {
        let d = dimension
        let healthy = healthyChains
        let length = healthy.map(\.drawCount).min() ?? 0
        let width = Self.coordinatesPerBlock
        let blocks = concurrentMap((d + width - 1) / width) { block -> [CoordinateConvergence] in
            let coordinates = (block * width)..<min(d, (block + 1) * width)
            let size = healthy.count * length
            let columns = uninitializedArrays(coordinates.count, count: size) { columns in
                for (m, chain) in healthy.enumerated() {
                    chain.draws.withUnsafeBufferPointer { draws in
                        for t in 0..<length {
                            let row = t * d + coordinates.lowerBound, target = m * length + t
                            for k in 0..<coordinates.count { columns[k][target] = draws[row + k] }
                        }
                    }
                }
            }
            return columns.map { column in
                let matrix = ConvergenceStatistics.ChainMatrix(chainCount: healthy.count, drawCount: length, values: column)
                let statistics = ConvergenceStatistics.CoordinateStatistics(matrix, tailAndRhat: tailAndRhat, squares: squares)
                return CoordinateConvergence(summary: statistics.summary, squaresBulkESS: statistics.squaresBulkESS)
            }
        }
        return blocks.flatMap { $0 }
    }

    /// The smallest bulk-ESS over coordinates of f(x) = x and of f(x) = x²
    /// (``ConvergenceStatistics/bulkESS(_:)``) on the stored draws of the healthy chains:
    /// the numerator of ESS per gradient (DIAGNOSTICS.md). Each is nil when any coordinate's
    /// ESS is undefined (no healthy chain, fewer than 4 draws per chain, a constant coordinate).
    public func minimumBulkESS() -> (x: Double?, squares: Double?) {
        let coordinates = convergenceByCoordinate(tailAndRhat: false)
        return (coordinates.map(\.summary.bulkESS).minimumIfAllDefined,
                coordinates.map(\.squaresBulkESS).minimumIfAllDefined)
    }
}

/// `arrays` arrays of `count` doubles, filled by `fill`, which gets their storage uninitialised
/// and must write every element: so one array per coordinate of a block is filled in one pass
/// over the rows, without the zeroing (by memset and, for a fresh block-sized mapping, by the
/// kernel page by page) and the copy per coordinate of one block-sized array.
private func uninitializedArrays(
    _ arrays: Int, count: Int, _ fill: ([UnsafeMutablePointer<Double>]) -> Void
) -> [[Double]] {
    guard count > 0 else { return Array(repeating: [], count: arrays) }
    var storage: [UnsafeMutablePointer<Double>] = []
    // Each array's initialiser runs the next one's inside it, so all are open when `fill` runs.
    func nest(_ remaining: Int) -> [[Double]] {
        guard remaining > 0 else {
            fill(storage)
            return []
        }
        var inner: [[Double]] = []
        let array = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            storage.append(buffer.baseAddress!)
            inner = nest(remaining - 1)
            initialized = count
        }
        return [array] + inner
    }
    return nest(arrays)
}

extension Array where Element == Double? {
    /// The smallest value; nil when there is none or any is undefined (a statistic over
    /// coordinates is undefined when one coordinate's is).
    public var minimumIfAllDefined: Double? { allDefined?.min() }
    /// The largest value; nil when there is none or any is undefined.
    public var maximumIfAllDefined: Double? { allDefined?.max() }

    private var allDefined: [Double]? {
        let defined = compactMap { $0 }
        return defined.count == count ? defined : nil
    }
}
