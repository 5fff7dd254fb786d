import Foundation
import Workbench

/// What `bench grid --dry-run` prints: the cells a grid would run and the gradients they
/// would spend (full-gradient equivalents over all chains, set-up costs left out), in all and
/// per target. With a tuning protocol, the sweep and final cells are counted separately and
/// the final cells are costed at the centre of each sweep (the chosen step size changes the
/// steps only for samplers whose cost per step depends on it); the extension cells a sweep may
/// add when its choice lands at an end (`TuningSpec.extensions` per swept pair) are counted
/// apart, as an upper bound, each costed as the sweep's largest step size.
struct GridPlanSummary {
    let lines: [String]
    /// The cells it would run (with tuning: sweep and final, if every sweep finds a stable
    /// step size), extensions left out.
    let cellCount: Int
    /// With tuning: the most sweep extension cells it may add (0 without tuning).
    let extensionCells: Int

    init(_ grid: GridSpec, registry: Registry) throws {
        var perTarget: [(String, Int, Double)] = []
        func add(_ target: String, _ cells: Int, _ gradients: Double) {
            if let i = perTarget.firstIndex(where: { $0.0 == target }) {
                perTarget[i].1 += cells
                perTarget[i].2 += gradients
            } else {
                perTarget.append((target, cells, gradients))
            }
        }
        var lines: [String] = []
        var total = 0.0
        var cellCount = 0, extensionCells = 0
        if let tuning = grid.tuning {
            let plan = try grid.tuningPlan(registry: registry)
            var sweepCells = 0, finalCells = 0, sweepGradients = 0.0, finalGradients = 0.0, extensionGradients = 0.0
            for pair in plan.pairs {
                let g = try pair.sweepCells.reduce(0.0) {
                    $0 + (try GridSpec.plannedGradientEvaluations(of: $1, target: pair.built.0, registry: registry))
                }
                let h: Double?
                switch pair.mode {
                case .sweep(let sizes): h = sizes[sizes.count / 2]
                case .fixed(let fixed, _): h = fixed
                }
                let finals = try pair.finalCells(stepSize: h, seeds: grid.seeds)
                let f = try finals.reduce(0.0) {
                    $0 + (try GridSpec.plannedGradientEvaluations(of: $1, target: pair.built.0, registry: registry))
                }
                if let end = pair.sweepCells.last {
                    extensionCells += tuning.extensions
                    extensionGradients += Double(tuning.extensions)
                        * (try GridSpec.plannedGradientEvaluations(of: end, target: pair.built.0, registry: registry))
                }
                sweepCells += pair.sweepCells.count
                finalCells += finals.count
                sweepGradients += g
                finalGradients += f
                add(pair.target, pair.sweepCells.count + finals.count, g + f)
            }
            total = sweepGradients + finalGradients
            cellCount = sweepCells + finalCells
            lines.append("pairs         \(plan.pairs.count) (sampler × target × noise × batch size)")
            lines.append("cells         \(sweepCells + finalCells): \(sweepCells) sweep + \(finalCells) final (if every sweep finds a stable step size)")
            lines.append("gradients     \(String(format: "%.4g", total)) full-gradient equivalents: \(String(format: "%.4g", sweepGradients)) sweep + \(String(format: "%.4g", finalGradients)) final")
            if extensionCells > 0 {
                lines.append("extensions    up to \(extensionCells) more sweep cells (\(tuning.extensions) per swept pair) if choices land at an end"
                             + " of their sweeps, up to \(String(format: "%.4g", extensionGradients)) more full-gradient equivalents")
            }
        } else {
            let cells = try grid.cells(registry: registry)
            for (cell, target) in cells {
                let g = try GridSpec.plannedGradientEvaluations(of: cell, target: target.0, registry: registry)
                total += g
                add(cell.target, 1, g)
            }
            cellCount = cells.count
            lines.append("cells         \(cells.count)")
            lines.append("gradients     \(String(format: "%.4g", total)) full-gradient equivalents")
        }
        lines.append("")
        lines.append("target                          cells   full-gradient equivalents")
        for (target, cells, gradients) in perTarget {
            lines.append(target.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "%7d", cells)
                         + "   " + String(format: "%.4g", gradients))
        }
        lines.append("")
        lines.append("Nothing was run or written. Multiply each target's gradients by its µs per full gradient")
        lines.append("(`bench gradient-cost`) for a lower bound on its CPU time.")
        self.lines = lines
        self.cellCount = cellCount
        self.extensionCells = extensionCells
    }
}
