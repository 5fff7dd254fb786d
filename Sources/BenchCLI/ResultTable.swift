import Foundation
import Workbench

/// Plain-text rendering of one cell result for the terminal.
enum ResultTable {
    static func render(_ r: CellResult) -> String {
        var lines: [String] = []
        if let file = r.importedFrom {
            let options = r.targetOptions.keys.sorted().map { "\($0)=\(r.targetOptions[$0]!)" }.joined(separator: " ")
            lines.append("draws       \(file)")
            lines.append("target      \(r.target)" + (options.isEmpty ? "" : "  (\(options))"))
            lines.append("chains      \(r.chains) × \(r.steps) draws (d = \(r.dimension))")
            lines.append(r.gradientEvaluations > 0 ? "gradients   \(format(r.gradientEvaluations)) full-gradient equivalents (declared)"
                         : "gradients   unknown (imported draws; --gradient-evaluations declares them)")
            let divergence = r.diverged
                ? "yes: \(r.divergedChains) of \(r.chains) chains, first at draw \(r.firstDivergenceStep!)" : "no"
            lines.append("non-finite  \(divergence)")
            lines.append("health      \(r.assessedHealth.verdict.rawValue)")
            lines.append("")
            return (lines + metricLines(r) + [""] + healthLines(r.assessedHealth)).joined(separator: "\n")
        }
        let hyper = r.hyperparameters.keys.sorted().map { "\($0)=\(r.hyperparameters[$0]!)" }.joined(separator: " ")
        let options = r.targetOptions.keys.sorted().map { "\($0)=\(r.targetOptions[$0]!)" }.joined(separator: " ")
        lines.append("sampler     \(r.sampler)" + (hyper.isEmpty ? "" : "  (\(hyper))"))
        lines.append("target      \(r.target)" + (options.isEmpty ? "" : "  (\(options))"))
        lines.append("step size   \(r.stepSize.map { "\($0)" } ?? "-")    batch \(r.batchSize)")
        lines.append("chains      \(r.chains) × \(r.steps) steps (warm-up \(r.warmup)), seed \(r.seed)")
        lines.append("gradients   \(format(r.gradientEvaluations)) full-gradient equivalents")
        if let ensemble = r.ensembleGradientEvaluations, let seconds = r.ensembleSeconds {
            lines.append("ensemble    \(format(ensemble)) full-gradient equivalents training the deep ensemble"
                         + " (\(format(seconds)) s; not in the sampler's gradients)")
        }
        lines.append("wall time   \(format(r.wallSeconds)) s")
        let divergence = r.diverged
            ? "yes: \(r.divergedChains) of \(r.chains) chains, first at step \(r.firstDivergenceStep!)" : "no"
        lines.append("diverged    \(divergence)")
        lines.append("health      \(r.assessedHealth.verdict.rawValue)")
        lines.append("")
        return (lines + metricLines(r) + [""] + healthLines(r.assessedHealth)).joined(separator: "\n")
    }

    /// The metric table: name, value, unit and which direction is better.
    static func metricLines(_ r: CellResult) -> [String] {
        var lines: [String] = []
        let width = max(24, (r.metrics.map { $0.diagnostic.count + $0.name.count + 1 }.max() ?? 0) + 2)
        lines.append("metric".padding(toLength: width, withPad: " ", startingAt: 0) + "value          unit")
        for m in r.metrics {
            let name = "\(m.diagnostic).\(m.name)".padding(toLength: width, withPad: " ", startingAt: 0)
            let value = (m.value.map(format) ?? "undefined").padding(toLength: 15, withPad: " ", startingAt: 0)
            let direction = m.direction == .neutral ? "" : " (\(m.direction.rawValue) is better)"
            lines.append(name + value + m.unit + direction)
        }
        return lines
    }

    /// The health checks in CmdStan `diagnose`'s manner: each problem on its own line with
    /// its severity and kind (DIAGNOSTICS.md, "Health"), or a line saying there is none.
    static func healthLines(_ health: CellHealth) -> [String] {
        guard !health.flags.isEmpty else {
            return ["Health checks (R̂, bulk/tail ESS, stuck chains, resets, divergence): no problems detected."]
        }
        let kinds: [CellHealth.Kind: String] = [.runLonger: "run longer", .broken: "broken", .unstable: "unstable", .tuning: "tuning"]
        let verdict = health.verdict == .fail ? "fail: these numbers are not a result" : "warn: a result, read with care"
        return ["Health checks: \(verdict)"] + health.flags.sorted { $0.severity > $1.severity }.map { flag in
            "  \(flag.severity.rawValue)  " + (kinds[flag.kind] ?? flag.kind.rawValue).padding(toLength: 11, withPad: " ", startingAt: 0)
                + flag.reason
        }
    }

    /// Warnings for standard error when the result itself goes to standard output as JSON.
    static func healthWarnings(_ health: CellHealth) -> [String] {
        health.flags.sorted { $0.severity > $1.severity }.map { "bench: \($0.severity == .fail ? "warning (fail)" : "warning"): \($0.reason)" }
    }

    /// Six significant digits, fixed or scientific as the size demands.
    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e-3 && abs(x) < 1e7 { return String(format: "%.6g", x) }
        return String(format: "%.4e", x)
    }
}
