import Foundation
import Plotting

/// Deterministic sample pages covering every panel kind, shared by the tests.
enum SamplePages {
    /// Step sizes × three samplers, mean ± spread over seeds, on log-log axes.
    static var logLogErrorBars: Panel {
        let steps = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]
        func series(_ name: String, _ c: Double, _ p: Double) -> Series {
            let y = steps.map { c * pow($0, p) }
            return .errorBars(name, x: steps, y: y, yLow: y.map { $0 * 0.7 }, yHigh: y.map { $0 * 1.4 })
        }
        return Panel(
            title: "Bias vs step size", x: .log("step size h"), y: .log("|bias| of E[x²]"),
            series: [series("SGLD", 3, 1), series("SGHMC", 1, 1), series("SGNHT", 20, 1.5),
                     .line("O(h)", x: steps, y: steps.map { 10 * $0 }, style: SeriesStyle(color: .grey, dash: .dashed, lineWidth: 0.8))])
    }

    static var groupedBars: Panel {
        let samplers = ["SGLD", "SGHMC", "SGNHT", "pSGLD"]
        return Panel(
            title: "Effective sample size per second", y: Axis("ESS / s"),
            series: [.groupedBars(categories: ["Gaussian", "Banana", "Mixture", "Logistic"], groups: samplers.enumerated().map { i, name in
                let values = (0..<4).map { Double(40 + 25 * i + 17 * (($0 * 7 + i * 3) % 5)) }
                return BarGroup(name, values: values, yLow: values.map { $0 * 0.85 }, yHigh: values.map { $0 * 1.12 })
            })])
    }

    static var histogramVersusDensity: Panel {
        let edges = stride(from: -4.0, through: 4.0, by: 0.4).map { $0 }
        let normal = { (x: Double) in exp(-x * x / 2) / sqrt(2 * .pi) }
        let densities = zip(edges, edges.dropFirst()).map { a, b in normal((a + b) / 2) * (1 + 0.15 * sin(7 * a)) }
        let grid = stride(from: -4.0, through: 4.0, by: 0.05).map { $0 }
        return .histogramVersusDensity(
            title: "Marginal of x₁ (SGLD, h = 10⁻³)", xLabel: "x₁", edges: edges, densities: densities,
            densityX: grid, densityY: grid.map(normal), densityLabel: "N(0, 1)")
    }

    static var traces: Panel {
        let t = (0..<200).map(Double.init)
        return Panel(
            title: "Trace", x: Axis("iteration"), y: Axis("x₁"),
            series: [.line("chain 1", x: t, y: t.map { sin($0 / 9) + 0.3 * cos($0 / 2.3) }),
                     .line("chain 2", x: t, y: t.map { cos($0 / 11) * 0.8 + 0.2 * sin($0 / 1.7) })])
    }

    static var scatterWithGaps: Panel {
        let x = (0..<30).map { Double($0) / 3 }
        var y = x.map { 2 * $0 + sin(3 * $0) }
        y[5] = .nan
        y[17] = .infinity
        return Panel(
            title: "Markers with NaN/inf", x: Axis("x"), y: Axis("y"),
            series: [.markers("observed", x: x, y: y), .lineMarkers("fit", x: [0, 5, 10], y: [0, 10, 20])])
    }

    static var allNaN: Panel {
        Panel(title: "Only NaN", x: Axis("x"), y: .log("y"),
              series: [.line("broken", x: [.nan, .nan, 1], y: [.nan, 1, -3])])
    }

    static var titlePage: Page {
        let table = TextTable(
            headers: ["sampler", "step sizes", "seeds", "iterations"],
            rows: [["SGLD", "1e-4 … 3e-2 (6)", "10", "100000"],
                   ["SGHMC", "1e-4 … 3e-2 (6)", "10", "100000"],
                   ["SGNHT", "1e-4 … 3e-2 (6)", "10", "100000"]],
            rightAligned: [2, 3])
        return .text(title: "SG-MCMC benchmark report", stem: "00-title", lines: [
            "grid: 3 samplers × 4 targets × 6 step sizes × 10 seeds = 720 runs",
            "targets: gaussian-2d, banana, mixture-4, logistic-regression (n=1000)",
            "generated: 2025-01-01 (sample data) # not a comment",
            "",
        ] + table.lines)
    }

    /// Five pages: title text, log-log error bars, grouped bars, histogram vs density,
    /// and a 2×2 page mixing a trace, markers with gaps, a NaN-only panel and a text table.
    static var report: [Page] {
        [
            titlePage,
            Page(title: "Bias", stem: "01-bias", panels: [logLogErrorBars]),
            Page(title: "Efficiency", stem: "02-ess", panels: [groupedBars]),
            Page(title: "Marginals", stem: "03-marginal", panels: [histogramVersusDensity]),
            Page(title: "Overview (2 × 2)", stem: "04-overview",
                 panels: [traces, scatterWithGaps, allNaN,
                          .text(title: "Summary", lines: TextTable(headers: ["sampler", "ESS/s"], rows: [["SGLD", "12.5"], ["SGHMC", "40.1"]], rightAligned: [1]).lines)],
                 rows: 2, columns: 2),
        ]
    }
}
