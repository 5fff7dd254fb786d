import Foundation

/// A pair's sweep as far as its stored results take it: the planned points, then the points
/// added beyond an end of the sweep while the rule's choice stays there (`TuningSpec.extensions`).
///
/// The walk is a pure function of the stored results: from the planned sweep it applies the
/// rule (`TuningSpec.select`); when the chosen h is the smallest or largest evaluated step size
/// (a diverged or failed point counts as evaluated, so a choice next to one is bracketed by
/// divergence), it adds the step size one spacing beyond that end — the end point times the
/// ratio of the two end points — looks its result up by key, and applies the rule again. It
/// stops when
/// - the choice is interior (bracketed, by a worse point or by divergence): no boundary;
/// - no point is stable: nothing chosen, no boundary;
/// - the next point has no result yet: `pending` is that cell (the runner runs it, then walks
///   again);
/// - `extensions` points were added, the sweep has one point (no spacing), or the next step
///   size is not a finite number beyond the end (an overflow, or two equal end points):
///   `boundary` says why the choice is still at an end.
///
/// So `--resume`, `--jobs`, shards and `bench merge` retrace the same walk from the same results.
public struct SweepWalk: Sendable {
    /// The evaluated points, ascending in step size (a planned point without a result counts
    /// as failed, as `TuningPlan.Pair.decide` has always read an incomplete sweep).
    public let points: [TuningPoint]
    /// The sweep cells walked: the planned ones, then each extension in the order it was added
    /// (`pending` last, when set).
    public let cells: [Cell]
    /// The next extension cell, whose result is not stored yet.
    public let pending: Cell?
    /// The rule's choice over `points` and why.
    public let choice: (stepSize: Double?, reason: String)
    /// Why the choice is still at an end of `points` (nil when it is interior or nothing was chosen).
    public let boundary: String?

    /// Walks from the planned sweep `planned` (ascending), making each extension cell with
    /// `cellAt` and reading results from `results` by key.
    static func walk(planned: [Cell], results: [String: CellResult], tuning: TuningSpec,
                     cellAt: (Double) throws -> Cell) throws -> SweepWalk {
        var cells = planned
        var points = planned.map { cell in
            results[cell.key].map(TuningPoint.init)
                ?? TuningPoint(stepSize: cell.stepSize ?? 0, key: cell.key, ok: false, chains: cell.chains,
                               divergedChains: 0, b2: nil, essPerGradient: nil)
        }
        while true {
            let choice = tuning.select(points)
            func done(pending: Cell? = nil, boundary: String? = nil) -> SweepWalk {
                SweepWalk(points: points, cells: cells, pending: pending, choice: choice, boundary: boundary)
            }
            guard let h = choice.stepSize, let i = points.firstIndex(where: { $0.stepSize == h }) else { return done() }
            let up = i == points.count - 1
            guard up || i == 0 else { return done() }
            let end = up ? "largest" : "smallest"
            let side = up ? "above" : "below"
            let at = "chosen h = \(formatNumber(h)) is the \(end) of \(points.count) evaluated"
            guard points.count >= 2 else {
                return done(boundary: "chosen h = \(formatNumber(h)) is the only step size of its sweep, which has no spacing to extend it by")
            }
            let added = points.filter(\.isExtension).count
            guard added < tuning.extensions else {
                let plannedSizes = points.filter { !$0.isExtension }.map(\.stepSize)
                let beyond = points.filter { p in
                    p.isExtension && (up ? p.stepSize > plannedSizes.max()! : p.stepSize < plannedSizes.min()!)
                }.count
                if tuning.extensions == 0 { return done(boundary: "\(at); sweep extensions are off (extensions = 0)") }
                return done(boundary: "\(at); \(beyond) extension\(beyond == 1 ? "" : "s") \(side) did not bracket it"
                            + (beyond < added ? " (\(added) in all, the cap)" : ""))
            }
            let (outer, inner) = up ? (points[points.count - 1], points[points.count - 2]) : (points[0], points[1])
            let next = outer.stepSize * (outer.stepSize / inner.stepSize)
            guard next.isFinite && next > 0 && (up ? next > outer.stepSize : next < outer.stepSize) else {
                return done(boundary: "\(at); the next step size \(side), \(formatNumber(next)), is not a finite number \(side) it")
            }
            let cell = try cellAt(next)
            cells.append(cell)
            guard let result = results[cell.key] else { return done(pending: cell) }
            var point = TuningPoint(result)
            point.isExtension = true
            points.insert(point, at: up ? points.count : 0)
        }
    }
}
