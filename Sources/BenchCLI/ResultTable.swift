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
            lines.append("gradients   unknown (imported draws)")
            let divergence = r.diverged
                ? "yes: \(r.divergedChains) of \(r.chains) chains, first at draw \(r.firstDivergenceStep!)" : "no"
            lines.append("non-finite  \(divergence)")
            lines.append("")
            return (lines + metricLines(r)).joined(separator: "\n")
        }
        let hyper = r.hyperparameters.keys.sorted().map { "\($0)=\(r.hyperparameters[$0]!)" }.joined(separator: " ")
        let options = r.targetOptions.keys.sorted().map { "\($0)=\(r.targetOptions[$0]!)" }.joined(separator: " ")
        lines.append("sampler     \(r.sampler)" + (hyper.isEmpty ? "" : "  (\(hyper))"))
        lines.append("target      \(r.target)" + (options.isEmpty ? "" : "  (\(options))"))
        lines.append("step size   \(r.stepSize.map { "\($0)" } ?? "-")    batch \(r.batchSize)")
        lines.append("chains      \(r.chains) × \(r.steps) steps (warm-up \(r.warmup)), seed \(r.seed)")
        lines.append("gradients   \(format(r.gradientEvaluations)) full-gradient equivalents")
        lines.append("wall time   \(format(r.wallSeconds)) s")
        let divergence = r.diverged
            ? "yes: \(r.divergedChains) of \(r.chains) chains, first at step \(r.firstDivergenceStep!)" : "no"
        lines.append("diverged    \(divergence)")
        lines.append("")
        return (lines + metricLines(r)).joined(separator: "\n")
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

    /// Six significant digits, fixed or scientific as the size demands.
    static func format(_ x: Double) -> String {
        if x == 0 { return "0" }
        if abs(x) >= 1e-3 && abs(x) < 1e7 { return String(format: "%.6g", x) }
        return String(format: "%.4e", x)
    }
}
