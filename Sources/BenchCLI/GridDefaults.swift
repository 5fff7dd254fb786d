import Foundation
import Plugins
import Workbench

/// The spec `bench grid` runs when given neither `--preset`, `--spec` nor `--step-sizes`
/// (e.g. `bench grid --samplers all`): the `quick` preset — its targets, its tuning protocol
/// (sweep, budgets, seeds, chains) — with the flags given on top, and the lines it prints
/// before it starts (and with `--dry-run`) saying which defaults it took, where it writes,
/// and how many cells and how much time to expect.
///
/// The time is an estimate, not a measurement: the cells times the quick grid's mean CPU time
/// per cell (`cpuSecondsPerCell`), over the cores used. Cells on the d = 100 Gaussians cost
/// several times the mean, those on the 1-D and 2-D targets a fraction of it, so a selection
/// of targets can be off by a factor of a few either way.
enum GridDefaults {
    /// The spec the defaults start from.
    static var spec: GridSpec { GridPresets.quick }

    /// CPU seconds per cell of the quick grid, sampling, diagnostics and report included: 188 s
    /// (168 s user, 20 s system) for the 1 459 cells it ran in a release build on the project's
    /// 2-core AMD EPYC (README, "What the main job produces").
    static let cpuSecondsPerCell = 188.0 / 1_459.0

    /// A debug build is about ten times slower than a release build (Presets.swift, `seed-001`).
    static var buildFactor: Double {
        #if DEBUG
        return 10
        #else
        return 1
        #endif
    }

    /// The lines printed before a grid run on the defaults: each setting with "(default)" when
    /// it came from `quick` and "(given)" when a flag set it, the output folder, and the
    /// estimated cells and time on `jobs` cores. `given` holds the long names of the flags given
    /// (e.g. "targets", "seeds").
    static func lines(_ grid: GridSpec, given: Set<String>, out: String, jobs: Int, registry: Registry) throws -> [String] {
        func origin(_ flags: String...) -> String { flags.contains(where: given.contains) ? "(given)" : "(default)" }
        func count(_ n: Double) -> String { NumberFormatting.grouped(n) }
        let samplerIDs = try registry.samplerIDs(grid.samplers)
        let targetIDs = try registry.targetIDs(grid.targets)
        var lines = ["bench grid: no --preset, --spec or --step-sizes: the tuning protocol on the quick preset's defaults"
                     + " (flags override each)"]
        let samplers = grid.samplers == ["all"] ? "all (\(samplerIDs.count))" : samplerIDs.joined(separator: ", ")
        lines.append("  samplers    \(samplers) \(origin("samplers"))")
        let targets = targetIDs.joined(separator: ", ")
        let targetNote = given.contains("targets") ? "(given)"
            : "(default: every built-in but the BNNs; --targets all adds them)"
        lines.append("  targets     \(targets) \(targetNote)")
        if let noise = grid.noise {
            let exceptions = grid.targetNoise.keys.sorted().filter(targetIDs.contains)
                .map { "\($0) \(grid.targetNoise[$0]!.joined(separator: ", "))" }
            let scaled = grid.noiseBudgetScale.keys.sorted().filter(noise.contains)
                .map { "\($0) at \(grid.noiseBudgetScale[$0]!) of the budget" }
            lines.append("  noise       \(noise.joined(separator: ", ")) on targets with a noise model"
                         + (exceptions.isEmpty ? "" : " (but \(exceptions.joined(separator: "; ")))")
                         + (scaled.isEmpty ? "" : "; \(scaled.joined(separator: ", "))") + " \(origin("noise"))")
        }
        let batches = grid.targetBatchSizes.keys.sorted().filter(targetIDs.contains)
            .map { "\($0) \(grid.targetBatchSizes[$0]!.map(\.description).joined(separator: ", "))" }
        if !batches.isEmpty {
            lines.append("  batches     " + grid.batchSizes.map(\.description).joined(separator: ", ") + " (" + batches.joined(separator: "; ")
                         + ") \(origin("batch-sizes"))")
        }
        if let tuning = grid.tuning {
            let budget = tuning.budget.map { "\(count($0)) full-gradient equivalents per chain" } ?? "the final budget"
            lines.append("  sweep       \(tuning.points) step sizes over a span of \(count(tuning.span)) around each sampler's"
                         + " default (up to \(tuning.extensions) more beyond an end), \(budget), seed \(tuning.seed), rule \(tuning.rule.rawValue) (default)")
        }
        lines.append("  seeds       \(grid.seeds.map(String.init).joined(separator: ", ")) (final cells) \(origin("seeds"))")
        let finalBudget = grid.gradientBudget.map { "\(count($0)) full-gradient equivalents per chain" }
            ?? "\(count(Double(grid.steps))) steps per chain"
        lines.append("  budget      \(finalBudget) per final cell, \(grid.chains) chains \(origin("gradient-budget", "steps", "chains"))")
        lines.append("  output      \(out) \(origin("out"))")
        let plan = try GridPlanSummary(grid, registry: registry)
        let cores = max(1, min(jobs, plan.cellCount))
        let seconds = Double(plan.cellCount) * cpuSecondsPerCell * buildFactor / Double(cores)
        let build = buildFactor > 1 ? ", debug build" : ""
        var more = ""
        if plan.extensionCells > 0 {
            let upTo = Double(plan.cellCount + plan.extensionCells) * cpuSecondsPerCell * buildFactor / Double(cores)
            more = "; up to \(plan.extensionCells) more sweep cells, \(duration(upTo)) in all, if choices land at an end of their sweeps"
        }
        lines.append("  estimate    \(plan.cellCount) cells (if every sweep finds a stable step size), about \(duration(seconds))"
                     + " on \(cores) core\(cores == 1 ? "" : "s")\(build)\(more) (the quick grid's mean CPU time per cell; --dry-run counts gradients)")
        return lines
    }

    /// "40 s", "3 min", "1.5 h".
    static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(max(1, Int(seconds.rounded()))) s" }
        if seconds < 5_400 { return "\(Int((seconds / 60).rounded())) min" }
        return String(format: "%.1f h", seconds / 3_600)
    }
}

/// Whole numbers with a space between thousands ("10 000"), others as %g.
enum NumberFormatting {
    static func grouped(_ value: Double) -> String {
        guard value == value.rounded(), abs(value) < 1e15 else { return String(format: "%g", value) }
        let digits = String(Int(abs(value)))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(" ") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }
}
