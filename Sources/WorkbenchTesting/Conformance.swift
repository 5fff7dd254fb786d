import Workbench

/// The conformance kit: the checks every built-in plugin passes, for a plugin author's tests
/// to call with one line per plugin. It depends on the workbench core only (no test framework):
/// each check returns the failures it found, empty when the plugin conforms, so that a Swift
/// Testing test reads
///
/// ```swift
/// let failures = Conformance.check(sampler: MySampler.self)
/// #expect(failures.isEmpty, "\(failures)")
/// ```
///
/// and an XCTest or a script can use the same list.
///
/// What is checked (docs/DESIGN.md, SAMPLERS.md, TARGETS.md, DIAGNOSTICS.md):
/// - every plugin: its id and parameter names are usable on the command line, its summary is
///   one line (`registration`); its defaults are valid and out-of-range values are rejected
///   with a `WorkbenchError` (`parameters`);
/// - samplers: the same seed gives the same chain bit for bit and another seed another chain,
///   and for a `BatchedSampler` each chain of a batch is that chain run alone, bit for bit
///   (`determinism`); every step and the set-up cost what the sampler declares, with
///   minibatches and full batch, with and without closed-form Hessians (`gradientAccounting`); no chain diverges at a tiny step
///   (`tinyStep`); optionally, the chains' means and variances match the target's
///   (`stationarity`);
/// - targets: ∇U agrees with central finite differences of U, or next to a kink (ReLU) with a
///   one-sided one (`finiteDifference`); minibatch
///   gradients average to ∇U over an epoch (`minibatchGradient`); the reference, start points
///   and names have the target's shape and the same options build the same target (`shape`);
///   exact draws are reproducible and centred on the reference (`exactDraws`);
/// - diagnostics: metrics carry the diagnostic's id, unique names, and the same run gives the
///   same numbers (`metrics`).
public enum Conformance {
    /// Checks a sampler type on the kit's own target (`ConformanceGaussian`, d = 3, N = 64,
    /// minibatches of 8), with and without closed-form Hessians, or on `targets`. Its chains
    /// run as the workbench runs them (`initialState(position:warmup:…)`, then steps). Every
    /// step and the set-up must cost what the type's `gradientCost` declares for the target —
    /// the cost gradient budgets and `--dry-run` use.
    ///
    /// - Parameters:
    ///   - settings: hyperparameter settings to run the chain checks with (default: the
    ///     defaults alone); add those that change the code path or the cost.
    ///   - tinyStepSize: the step size at which no chain may diverge (targets of unit scale).
    ///   - stationarity: also check that the chains sample the target (see `Stationarity`);
    ///     for samplers that are consistent as h → 0.
    @inlinable
    public static func check<S: Sampler>(sampler: S.Type,
                                         on targets: [TargetPlugin] = [ConformanceGaussian.plugin, ConformanceGaussian.firstOrderPlugin],
                                         settings: [[String: ParameterValue]] = [[:]], tinyStepSize: Double = 1e-3,
                                         stationarity: Stationarity? = nil) -> [ConformanceFailure] {
        check(sampler: SamplerPlugin(sampler), on: targets, settings: settings, tinyStepSize: tinyStepSize,
              stationarity: stationarity)
    }

    /// `check(sampler:)` for a registered sampler (e.g. `Registry.builtin.sampler("sgld")`).
    public static func check(sampler: SamplerPlugin,
                             on targets: [TargetPlugin] = [ConformanceGaussian.plugin, ConformanceGaussian.firstOrderPlugin],
                             settings: [[String: ParameterValue]] = [[:]], tinyStepSize: Double = 1e-3,
                             stationarity: Stationarity? = nil) -> [ConformanceFailure] {
        var failures = FailureList(plugin: "sampler \(sampler.id)")
        SamplerChecks.registration(sampler, &failures)
        SamplerChecks.parameters(sampler, stepSize: tinyStepSize, &failures)
        for target in targets {
            for parameters in settings {
                SamplerChecks.run(sampler, on: target, stepSize: tinyStepSize, parameters: parameters, &failures)
                BatchChecks.run(sampler, on: target, stepSize: tinyStepSize, parameters: parameters, &failures)
            }
        }
        if let stationarity { StationarityCheck.run(sampler, stationarity, &failures) }
        return failures.items
    }

    /// Checks a target plugin: its option declarations and validation (the defaults must
    /// build), then the target built with `options` (e.g. a small `dimension` to keep the
    /// checks fast; none: the defaults), and once more for every other value of each choice
    /// option (e.g. every gradient-noise model).
    public static func check<T: TargetDefinition>(target: T.Type, options: [String: ParameterValue] = [:]) -> [ConformanceFailure] {
        check(target: T.plugin, options: options)
    }

    /// `check(target:options:)` of a registered target (e.g. one of `registry.targets`).
    public static func check(target: TargetPlugin, options: [String: ParameterValue] = [:]) -> [ConformanceFailure] {
        var failures = FailureList(plugin: "target \(target.id)")
        TargetChecks.registration(target, &failures)
        ParameterChecks.rejectsOutOfDomain(target.parameters, failures: &failures) { try target.make(options: $0) }
        var settings: [[String: ParameterValue]] = [options]
        for spec in target.parameters {
            if case .choice(let names) = spec.domain {
                let chosen = options[spec.name] ?? spec.defaultValue
                settings += names.filter { ParameterValue.text($0) != chosen }.map { options.merging([spec.name: .text($0)]) { $1 } }
            }
        }
        for (index, setting) in settings.enumerated() {
            TargetChecks.check(target, options: setting, checkReproducible: index == 0, &failures)
        }
        return failures.items
    }

    /// Checks a diagnostic type, built with its default settings (`init()`, as the registry
    /// builds it), on a short run of exact draws from the kit's target.
    public static func check<D: Diagnostic>(diagnostic: D.Type) -> [ConformanceFailure] {
        check(diagnostic: DiagnosticPlugin(diagnostic))
    }

    /// `check(diagnostic:)` for a registered diagnostic (e.g. `Registry.builtin.diagnosticPlugin("ess")`).
    public static func check(diagnostic: DiagnosticPlugin) -> [ConformanceFailure] {
        var failures = FailureList(plugin: "diagnostic \(diagnostic.id)")
        DiagnosticChecks.check(diagnostic, &failures)
        return failures.items
    }

    /// Every plugin of `registry`: each sampler on the kit's target, each target with its
    /// default options, each diagnostic.
    public static func check(registry: Registry) -> [ConformanceFailure] {
        registry.samplers.flatMap { check(sampler: $0) }
            + registry.targets.flatMap { check(target: $0) }
            + registry.diagnostics.flatMap { check(diagnostic: $0) }
    }
}

/// One way a plugin does not conform: which plugin, which check, and what was seen.
public struct ConformanceFailure: Sendable, Equatable, CustomStringConvertible {
    /// The kinds of check (see `Conformance`).
    public enum Check: String, Sendable, CaseIterable {
        case registration, parameters, determinism, gradientAccounting, tinyStep, stationarity
        case finiteDifference, minibatchGradient, shape, exactDraws, metrics
    }

    /// "sampler my-sampler", "target my-target", "diagnostic my-diagnostic".
    public let plugin: String
    public let check: Check
    public let message: String

    public init(plugin: String, check: Check, message: String) {
        self.plugin = plugin
        self.check = check
        self.message = message
    }

    public var description: String { "\(plugin): \(check.rawValue): \(message)" }
}

/// Collects failures for one plugin.
struct FailureList {
    let plugin: String
    var items: [ConformanceFailure] = []

    mutating func fail(_ check: ConformanceFailure.Check, _ message: String) {
        items.append(ConformanceFailure(plugin: plugin, check: check, message: message))
    }

    mutating func expect(_ condition: Bool, _ check: ConformanceFailure.Check, _ message: @autoclosure () -> String) {
        if !condition { fail(check, message()) }
    }
}

/// Ids appear on the command line, in cell keys and in file names (`--samplers sgld,exact`,
/// `--param sgld.schedule-decay=0.55`): lowercase letters, digits and hyphens, starting with a
/// letter or digit.
func isCommandLineName(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first != "-" else { return false }
    return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
}

/// Parameter names follow their plugin's id after a dot and precede `=` (`sgnht.A=1`): ASCII
/// letters of either case (the papers' symbols), digits, hyphens and underscores, not starting
/// with a hyphen.
func isParameterName(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first != "-" else { return false }
    return text.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
}
