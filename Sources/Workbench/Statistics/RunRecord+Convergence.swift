extension RunRecord {
    /// The smallest bulk-ESS over coordinates of f(x) = x and of f(x) = x²
    /// (``ConvergenceStatistics/bulkESS(_:)``) on the stored draws of the healthy chains:
    /// the numerator of ESS per gradient (DIAGNOSTICS.md). Each is nil when any coordinate's
    /// ESS is undefined (no healthy chain, fewer than 4 draws per chain, a constant coordinate).
    public func minimumBulkESS() -> (x: Double?, squares: Double?) {
        // Coordinates in parallel (deterministic: each is a pure function of its draws), then
        // the minima in coordinate order as before.
        let perCoordinate = concurrentMap(dimension) { i -> (Double?, Double?) in
            let chains = chainsOfCoordinate(i)
            let x = (try? ConvergenceStatistics.bulkESS(chains)) ?? nil
            let squares = (try? ConvergenceStatistics.bulkESS(chains.map { $0.map { $0 * $0 } })) ?? nil
            return (x, squares)
        }
        var minX: Double? = .infinity, minSquares: Double? = .infinity
        for (x, squares) in perCoordinate {
            minX = x.flatMap { value in minX.map { min($0, value) } }
            minSquares = squares.flatMap { value in minSquares.map { min($0, value) } }
        }
        return (minX.flatMap { $0.isFinite ? $0 : nil }, minSquares.flatMap { $0.isFinite ? $0 : nil })
    }
}
