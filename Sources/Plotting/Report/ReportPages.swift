import Workbench

/// The figures of the report, as pages (DESIGN.md "Report"): the grid overview, marginal
/// densities against the exact density for 1-D marginals, bias against step size, and ESS per
/// gradient. Each page is one PDF page and one PNG.
enum ReportPages {
    /// The report's first text pages: what was run, where, and how it went — the cells'
    /// health counts and every flagged configuration (warn and fail) with its reason, split
    /// over as many pages as needed (`Page.textPages`); lists are wrapped, never cut.
    static func overview(_ manifest: GridManifest, results: [CellResult], unfinished: UnfinishedCells,
                         health: ReportHealth) -> [Page] {
        let spec = manifest.spec, p = manifest.provenance
        let width = min(TextCapacity.page.characters, 120)
        let diverged = results.filter(\.diverged).count
        let groups = SeedGroup.grouping(results)
        /// "name          value", the value wrapped under itself.
        func field(_ name: String, _ value: String) -> [String] {
            let label = name.padding(toLength: 14, withPad: " ", startingAt: 0)
            return TextBlock.wrapped(label + value, width: width, indent: 14)
        }
        var lines = field("samplers", samplers(groups).joined(separator: ", "))
            + field("targets", targets(groups).joined(separator: ", "))
            + field("step sizes", spec.tuning == nil ? spec.stepSizes.map { ReportFormat.number($0) }.joined(separator: ", ")
                : "tuned per sampler and target (the \"Tuning protocol\" pages)")
            + variantLines(spec) + field("batch sizes", "\(spec.batchSizes.map(\.description).joined(separator: ", ")), \(spec.batching.rawValue) batches; chains start at \(spec.start.phrase)")
            + field("noise", spec.noise?.joined(separator: ", ") ?? "target default")
            + field("seeds", spec.seeds.map(String.init).joined(separator: ", "))
            + field("chains", "\(spec.chains) × " + (spec.gradientBudget.map { "\(ReportFormat.number($0)) full-gradient equivalents" } ?? "\(spec.steps) steps") + ", warm-up " + (spec.warmup.map(String.init) ?? (spec.gradientBudget == nil ? "\(spec.steps / 10)" : "a tenth of each cell's steps")) + ", thin \(spec.thin)")
            + field("diagnostics", spec.diagnostics.joined(separator: ", "))
        lines += [""] + field("cells", "\(unfinished.countLine); \(diverged) with a diverged chain"
                + (spec.tuning == nil ? "" : " (\(results.filter { $0.phase == .tune }.count) sweep, \(results.filter { $0.phase == .final }.count) final)"))
            + field("health", health.countLine)
        lines += [""] + field("revision", p.revision) + field("toolchain", p.toolchain)
            + field("libraries", p.libraries.keys.sorted().map { "\($0) \(p.libraries[$0]!)" }.joined(separator: ", "))
            + field("host", p.host) + field("date", p.date)
        if !manifest.skipped.isEmpty {
            lines += ["", "left out (the sampler cannot run on the target):"] + manifest.skipped.map { "  \($0)" }
        }
        if !unfinished.entries.isEmpty {
            lines += ["", "\(unfinished.entries.count) cells did not finish (crashed, failed or skipped): listed on the \"Cells that did not finish\" page."]
        }
        if results.count < manifest.cellCount {
            lines += ["", "\(manifest.cellCount - results.count) cells were not run (another shard's, or an interrupted grid)."]
        }
        var blocks = [TextBlock(lines: lines)]
        if let description = spec.description {
            blocks.insert(TextBlock(lines: TextBlock.wrapped(description, width: width)), at: 0)
        }
        if !health.flagged.isEmpty { blocks.append(flaggedBlock(health, width: width)) }
        return Page.textPages(title: "SG-MCMC workbench report", stem: "overview", blocks: blocks)
    }

    /// The overview's list of flagged configurations: per target, the ones that fail and the
    /// ones that warn, each with the checks that raised its verdict (its reasons in short;
    /// the ranking pages give the fails' reasons in words, summary.md every reason whole).
    static func flaggedBlock(_ health: ReportHealth, width: Int) -> TextBlock {
        let flagged = health.flagged
        let fails = flagged.filter { $0.verdict == .fail }.count
        var kinds: [CellHealth.Kind: [String]] = [:]
        for flag in health.configurations.flatMap({ $0.health.flatMap(\.flags) }) where kinds[flag.kind]?.contains(flag.check) != true {
            kinds[flag.kind, default: []].append(flag.check)
        }
        let legend = CellHealth.Kind.allCases.compactMap { kind in kinds[kind].map { "\(kind.rawValue): \($0.joined(separator: ", "))" } }
        let header = TextBlock.wrapped("flagged configurations (CellHealth): \(fails) fail (not a result: never ranked),"
                                       + " \(flagged.count - fails) warn (a result with a caveat); by the checks that raised"
                                       + " the verdict — " + legend.joined(separator: "; "), width: width)
        let targets = flagged.reduce(into: [String]()) { if !$0.contains($1.target) { $0.append($1.target) } }
        let column = min(targets.map(\.count).max() ?? 0, 30) + 2
        let entries = targets.flatMap { target -> [[String]] in
            [CellHealth.Verdict.fail, .warn].enumerated().compactMap { k, verdict -> [String]? in
                let mine = flagged.filter { $0.target == target && $0.verdict == verdict }
                guard !mine.isEmpty else { return nil }
                let name = k == 0 || !flagged.contains { $0.target == target && $0.verdict == .fail } ? target : ""
                let text = verdict.rawValue + ": " + mine.map { "\($0.label) (\($0.checks.joined(separator: ", ")))" }
                    .joined(separator: "; ")
                return TextBlock.wrapped(name.padding(toLength: max(column, name.count + 1), withPad: " ", startingAt: 0) + text,
                                         width: width, indent: column + 6)
            }
        }
        return TextBlock(header: header, entries: entries, keepTogether: false)
    }

    /// Per target with a recorded marginal: one panel per sampler, at its representative
    /// configuration (`representative`), first seed — the histogram of coordinate 1 (bin width
    /// 0.1 sd) against the exact density, the page titled with the coordinate's name in the
    /// model (`MarginalHistogram.coordinate`, e.g. beta[1]); at most 12 panels a page. Configurations with a
    /// predicted stationary law are drawn on `stationaryLaws` instead.
    static func marginals(_ groups: [SeedGroup]) -> [Page] {
        targets(groups).flatMap { target -> [Page] in
            let mine = groups.filter { $0.target == target && !hasPrediction($0) }
            guard mine.contains(where: { $0.results.first?.marginal != nil }) else { return [] }
            let panels: [Panel] = samplers(mine).compactMap { sampler in
                guard let group = representative(mine.filter { $0.sampler == sampler }) else { return nil }
                guard let m = group.results.first?.marginal else {
                    let (diverged, chains) = group.divergedChains
                    let step = group.results.compactMap(\.firstDivergenceStep).min()
                    return Panel.text(title: group.label, lines: [
                        "no draws to show:", "\(diverged) of \(chains) chains diverged",
                        step.map { "first at step \($0)" } ?? "",
                    ])
                }
                return Panel.histogramVersusDensity(
                    title: group.label + (predictionNote(group).map { " — \($0)" } ?? ""), xLabel: m.coordinate, edges: m.edges, densities: m.density,
                    histogramLabel: "draws (bin 0.1 sd)", densityX: centres(m.edges), densityY: m.referenceDensity,
                    densityLabel: "exact density", legend: .hidden)
            }
            let coordinate = mine.lazy.compactMap { $0.results.first?.marginal?.coordinate }.first ?? "x[1]"
            return paged(title: "\(coordinate): draws (bars) vs exact density (line): \(target)",
                         stem: "marginals-\(slug(target))", panels: panels)
        }
    }

    /// A sampler's configuration to show when a page has room for one per sampler: the one
    /// with the best ESS per gradient among those where no chain diverged, else the first.
    static func representative(_ groups: [SeedGroup]) -> SeedGroup? {
        groups.filter { $0.divergedChains.diverged == 0 }
            .max { ($0.spread(.essPerGradient)?.mean ?? -1) < ($1.spread(.essPerGradient)?.mean ?? -1) }
            ?? groups.first
    }

    /// Splits `panels` over pages of at most `perPage` (so panels stay legible), numbering
    /// titles and stems when there is more than one page.
    static func paged(title: String, stem: String, panels: [Panel], perPage: Int = 12) -> [Page] {
        guard !panels.isEmpty else { return [] }
        let chunks = stride(from: 0, to: panels.count, by: perPage).map { Array(panels[$0..<min($0 + perPage, panels.count)]) }
        guard chunks.count > 1 else { return [Page(title: title, stem: stem, panels: panels)] }
        return chunks.enumerated().map { k, chunk in
            Page(title: "\(title) (\(k + 1)/\(chunks.count))", stem: "\(stem)-\(k + 1)", panels: chunk)
        }
    }

    /// One panel per target: b² (DIAGNOSTICS.md `moments`) against step size on log-log
    /// axes, one series per sampler, mean over seeds with min–max bars; more than eight
    /// samplers are split over panels with the same axes (`Panel.smallMultiples`). Samplers without a step
    /// size appear as a horizontal reference line (their Monte Carlo floor).
    ///
    /// A grid whose configurations have one step size per sampler and target (the final
    /// cells of a tuning protocol, whose sweeps have pages of their own) gets no page: every
    /// line would be one point.
    static func biasVersusStepSize(_ groups: [SeedGroup]) -> [Page] {
        guard sweepsStepSize(groups) else { return [] }
        let panels = targets(groups).map { target -> Panel in
            let mine = groups.filter { $0.target == target }
            let steps = mine.compactMap(\.stepSize)
            var series: [Series] = []
            for sampler in samplers(mine) {
                let points = mine.filter { $0.sampler == sampler && $0.stepSize != nil }
                    .compactMap { g in g.spread(.b2).map { (g.stepSize!, $0) } }
                if let lo = steps.min(), let hi = steps.max(),
                   let floor = mine.first(where: { $0.sampler == sampler && $0.stepSize == nil })?.spread(.b2) {
                    series.append(.line("\(sampler) (no step size)", x: [lo, hi], y: [floor.mean, floor.mean],
                                        style: SeriesStyle(dash: .dashed)))
                } else if !points.isEmpty {
                    series.append(.errorBars(
                        sampler, x: points.map(\.0), y: points.map(\.1.mean),
                        yLow: points.map(\.1.low), yHigh: points.map(\.1.high)))
                }
            }
            return Panel(title: target, x: .log("step size h"), y: .log("b² (x and x², worse of the two)"), series: series)
        }.flatMap { $0.smallMultiples() }
        return paged(title: "Bias b² against step size (seed mean, min–max bars)",
                     stem: "bias-vs-step-size", panels: panels)
    }

    /// One panel per target: ESS per gradient evaluation (bulk ESS of x and x², worse
    /// coordinate, over full-gradient equivalents) as bars grouped by step size, one colour per
    /// sampler (at most eight a panel: more are split over panels with the same y axis), mean
    /// over seeds with min–max bars. Undefined values (a diverged cell; `exact`,
    /// which spends no gradients) leave a gap.
    static func essPerGradient(_ groups: [SeedGroup]) -> [Page] {
        let panels = targets(groups).flatMap { target -> [Panel] in
            let mine = groups.filter { $0.target == target && $0.stepSize != nil }
            // One bar colour per sampler when the step size is swept: at most eight a panel.
            let chunks = sweepsStepSize(groups) ? Panel.balancedChunks(samplers(mine), maxPerChunk: Panel.maxSeriesPerPanel)
                : [samplers(mine)]
            return Panel.sharingAxes(chunks.enumerated().map { k, chunk in
                metricBars(mine.filter { chunk.contains($0.sampler) }, metric: MetricName.essPerGradient.rawValue,
                           title: target + (chunks.count > 1 ? " (\(k + 1)/\(chunks.count))" : ""), y: Axis("ESS / gradient"))
            })
        }
        return paged(title: "ESS per gradient (seed mean, min–max bars)", stem: "ess-per-gradient", panels: panels,
                     perPage: sweepsStepSize(groups) ? 12 : 4)
    }

    /// Whether some sampler runs at more than one step size on some target (a step-size grid
    /// rather than the tuned final cells).
    static func sweepsStepSize(_ groups: [SeedGroup]) -> Bool {
        var seen: [String: Double] = [:]
        for g in groups {
            guard let h = g.stepSize else { continue }
            let key = g.target + "|" + g.sampler
            if let other = seen[key], other != h { return true }
            seen[key] = h
        }
        return false
    }

    /// For grids run on an equal gradient budget (`GridSpec.gradientBudget`, e.g. the
    /// `seed-000` preset): one panel per target and noise model, b² of x² (DIAGNOSTICS.md,
    /// running averages over the chains) against gradient evaluations per chain in
    /// full-gradient equivalents, warm-up included, on log-log axes; one line per sampler
    /// configuration, the median over seeds at each checkpoint, at most eight a panel (more
    /// are split over panels with the same axes). Samplers that diverged on a seed
    /// contribute the seeds that did not; a configuration with no healthy seed is absent.
    static func biasVersusGradients(_ groups: [SeedGroup], manifest: GridManifest) -> [Page] {
        guard manifest.spec.gradientBudget != nil,
              groups.contains(where: { $0.results.contains { ($0.biasTrace?.count ?? 0) > 1 } }) else { return [] }
        let labels = targets(groups)
        let titles = distinctParts(of: labels)
        let panels = zip(labels, titles).compactMap { target, distinct -> Panel? in
            let mine = groups.filter { $0.target == target }
            // Tuned grids have one configuration per sampler: the sampler names the line.
            let bySampler = Set(mine.map(\.sampler)).count == mine.count
            let series: [Series] = mine.compactMap { group in
                let traces = group.results.compactMap(\.biasTrace).filter { $0.count > 1 }
                guard let length = traces.map(\.count).min(), length > 1 else { return nil }
                var x: [Double] = [], y: [Double] = []
                for k in 0..<length {
                    let values = traces.map { $0[k].secondMoment }.filter { $0 > 0 && $0.isFinite }.sorted()
                    guard !values.isEmpty else { continue }
                    x.append(traces.map { $0[k].gradientEvaluations }.sorted()[traces.count / 2])
                    y.append(values[values.count / 2])
                }
                return x.count > 1 ? .line(bySampler ? group.sampler : group.label, x: x, y: y) : nil
            }
            // A target without reference moments (a BNN before `bench reference`) has no trace.
            guard !series.isEmpty else { return nil }
            return Panel(title: distinct.isEmpty ? target : distinct, x: .log("gradient evaluations per chain"),
                         y: .log("b² of x²"), series: series, legend: .below)
        }.flatMap { $0.smallMultiples() }
        // The legend of every configuration goes under each panel: four panels a page leave
        // room for up to 4 lines, two for up to 8, which is all a panel holds (more are small
        // multiples).
        let lines = panels.map(\.series.count).max() ?? 0
        return paged(title: "b² of x² vs gradient evaluations (seed median, equal budget)",
                     stem: "bias-vs-gradients", panels: panels, perPage: lines > 4 ? 2 : 4)
    }

    /// One line per sampler variant (`GridSpec.variants`) that has step sizes of its own.
    static func variantLines(_ spec: GridSpec) -> [String] {
        func range(_ sizes: [Double]) -> String {
            "\(ReportFormat.number(sizes.min())) … \(ReportFormat.number(sizes.max())) (\(sizes.count))"
        }
        return spec.variants.keys.sorted().flatMap { id in
            spec.variants[id]!.compactMap { v -> String? in
                let name = ([id] + v.hyperparameters.keys.sorted().map { "\($0)=\(v.hyperparameters[$0]!)" }).joined(separator: " ")
                var parts: [String] = []
                if let sizes = v.stepSizes { parts.append(range(sizes)) }
                for noise in (v.stepSizesByNoise ?? [:]).keys.sorted() { parts.append("\(noise): " + range(v.stepSizesByNoise![noise]!)) }
                return parts.isEmpty ? nil : "  \(name): " + parts.joined(separator: "; ")
            }
        }
    }

    /// Each label with the words every label shares left out ("gaussian-illcond noise=anisotropic"
    /// and "gaussian-illcond noise=isotropic" → "noise=anisotropic", "noise=isotropic"); a label
    /// left empty (or the only one) stays whole.
    static func distinctParts(of labels: [String]) -> [String] {
        guard labels.count > 1 else { return labels }
        var common = Set(labels[0].split(separator: " "))
        for label in labels.dropFirst() { common.formIntersection(label.split(separator: " ")) }
        return labels.map { label in
            let distinct = label.split(separator: " ").filter { !common.contains($0) }.joined(separator: " ")
            return distinct.isEmpty ? label : distinct
        }
    }

    static func targets(_ groups: [SeedGroup]) -> [String] { unique(groups.map(\.target)) }
    static func samplers(_ groups: [SeedGroup]) -> [String] { unique(groups.map(\.sampler)) }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    static func centres(_ edges: [Double]) -> [Double] {
        zip(edges, edges.dropFirst()).map { ($0 + $1) / 2 }
    }

    /// A file-name-safe form of a label.
    static func slug(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }
}

extension ReportPages {
    /// Per target: trace plots of coordinate 1 (titled with its name in the model,
    /// `Trace.coordinate`), one panel per sampler at its configuration
    /// with the best stable ESS per gradient (or its first configuration), first seed, one
    /// line per chain.
    static func traces(_ groups: [SeedGroup]) -> [Page] {
        targets(groups).flatMap { target -> [Page] in
            let panels: [Panel] = samplers(groups).compactMap { sampler in
                guard let group = representative(groups.filter { $0.target == target && $0.sampler == sampler }),
                      let trace = group.results.first?.trace else { return nil }
                let series = trace.chains.enumerated().map { c, values in
                    Series.line("chain \(c + 1)", x: values.indices.map { Double($0 * trace.stepsPerPoint) }, y: values)
                }
                return Panel(title: group.label, x: Axis("steps after warm-up"), y: Axis(trace.coordinate),
                             series: series, legend: .hidden)
            }
            let coordinate = groups.lazy.filter { $0.target == target }.compactMap { $0.results.first?.trace?.coordinate }.first ?? "x[1]"
            return paged(title: "Traces of \(coordinate): \(target)", stem: "traces-\(slug(target))", panels: panels)
        }
    }
}
