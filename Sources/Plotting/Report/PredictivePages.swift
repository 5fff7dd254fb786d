import Workbench

extension ReportPages {
    /// The `predictive` metrics (DIAGNOSTICS.md, "BNN predictive quality") a page draws, in
    /// order: regression first (original scale, then the SMILE paper's standardised-scale LPPD
    /// and RMSE, the 95 % coverage — the 80 % and 90 % ones are in the results only — and the
    /// calibration error), then classification, then agreement with a reference predictive.
    /// Each is (metric name, axis label).
    static let predictiveMetrics: [(metric: String, label: String)] = [
        ("rmse", "test RMSE (lower is better)"),
        ("test-log-likelihood", "test log-likelihood per point (higher is better)"),
        ("lppd", "LPPD per point, standardised y (higher is better)"),
        ("rmse-standardised", "test RMSE, standardised y (lower is better)"),
        ("coverage-95", "coverage of 95 % interval (closer to 0.95 is better)"),
        ("calibration-error", "coverage calibration error (lower is better)"),
        ("accuracy", "test accuracy (higher is better)"),
        ("nll", "test NLL per point (lower is better)"),
        ("ece", "expected calibration error (lower is better)"),
        ("w1-predictive", "W1 to the reference predictive (lower is better)"),
        ("agreement", "top-1 agreement with the reference (higher is better)"),
        ("total-variation", "total variation to the reference (lower is better)"),
    ]

    /// One page per target with predictions (the BNN targets): a panel per predictive metric
    /// defined on some configuration, bars grouped by step size, one colour per sampler, seed
    /// mean with min–max bars. Targets without predictive metrics get no page.
    static func predictive(_ groups: [SeedGroup]) -> [Page] {
        targets(groups).compactMap { target in
            let mine = groups.filter { $0.target == target }
            let panels = predictiveMetrics.compactMap { entry -> Panel? in
                guard mine.contains(where: { $0.spread(entry.metric) != nil }) else { return nil }
                return metricBars(mine, metric: entry.metric, title: entry.metric, y: Axis(entry.label))
            }
            guard !panels.isEmpty else { return nil }
            return Page(title: "\(target): test-split predictive (seed min–max)",
                        stem: "predictive-" + slug(target), panels: panels)
        }
    }

    /// A panel of `metric` for the configurations in `groups` (one target), seed mean with
    /// min–max bars; undefined values leave a gap. When every sampler has one configuration
    /// (the tuned final cells) there is one bar per sampler (its step size is in the tuning table);
    /// otherwise bars are grouped by step size, one colour per sampler, and configurations
    /// without a step size (e.g. `exact`) form their own category "—".
    static func metricBars(_ groups: [SeedGroup], metric: String, title: String, y: Axis) -> Panel {
        if Set(groups.map(\.sampler)).count == groups.count {
            let defined = groups.filter { $0.spread(metric) != nil }
            let spreads = defined.map { $0.spread(metric)! }
            return Panel(title: title, x: Axis("sampler (at its tuned step size)"), y: y,
                         series: defined.isEmpty ? [] : [.bars("", categories: defined.map(\.sampler), values: spreads.map(\.mean),
                                                               yLow: spreads.map(\.low), yHigh: spreads.map(\.high))])
        }
        let steps = Array(Set(groups.compactMap(\.stepSize))).sorted()
        let categories: [Double?] = steps + (groups.contains { $0.stepSize == nil } ? [nil] : [])
        let bars: [BarGroup] = samplers(groups).compactMap { sampler in
            let cells = categories.map { h in groups.first { $0.sampler == sampler && $0.stepSize == h }?.spread(metric) }
            guard cells.contains(where: { $0 != nil }) else { return nil }
            return BarGroup(sampler, values: cells.map { $0?.mean ?? .nan },
                            yLow: cells.map { $0?.low ?? .nan }, yHigh: cells.map { $0?.high ?? .nan })
        }
        return Panel(title: title, x: Axis("step size h"), y: y,
                     series: bars.isEmpty ? [] : [.groupedBars(categories: categories.map { ReportFormat.number($0) }, groups: bars)])
    }
}
