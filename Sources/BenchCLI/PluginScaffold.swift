import Foundation
import Workbench

/// What `bench new-plugin NAME --kind KIND` writes: a SwiftPM package that depends on the
/// workbench by path and builds and runs as generated (plugins/README.md walks through it).
///
/// For NAME = `MySampler` and kind `sampler` the folder is `my-sampler/` with
/// - `Package.swift`: a path dependency on the workbench checkout, the library target
///   `MySampler`, the executable `bench-my-sampler` and the test target `MySamplerTests`;
/// - `Sources/MySampler/MySampler.swift`: the plugin, a minimal working example of the
///   protocol (a sampler with one hyperparameter, a target, or a diagnostic) to edit;
/// - `Sources/bench-my-sampler/main.swift`: `BenchCLI.main(registry: try Registry.builtin + [MySampler.plugin])`;
/// - `Tests/MySamplerTests/MySamplerTests.swift`: the conformance kit on the plugin;
/// - `README.md` (the commands) and `.gitignore`.
struct PluginScaffold {
    enum Kind: String, CaseIterable, Sendable {
        case sampler, target, diagnostic
    }

    /// The Swift name of the plugin's type and module, e.g. `MySampler`.
    let name: String
    let kind: Kind
    /// The workbench checkout as written in Package.swift (relative or absolute).
    let workbenchPath: String

    init(name: String, kind: Kind, workbenchPath: String) throws {
        try Self.validate(name: name)
        self.name = name
        self.kind = kind
        self.workbenchPath = workbenchPath
    }

    /// The plugin's registry id and folder name: the name in lowercase words joined by
    /// hyphens (`MySampler` → `my-sampler`, `BAOAB` → `baoab`, `SGLD2Fast` → `sgld2-fast`).
    var id: String { Self.kebab(name) }
    var executable: String { "bench-\(id)" }
    var testTarget: String { "\(name)Tests" }

    /// Module names the package already sees; a plugin named like one would shadow it.
    static let reservedNames: Set<String> = [
        "Workbench", "Plugins", "Plotting", "BenchCLI", "WorkbenchTesting", "ArgumentParser", "CGSL", "CPLplot",
        "Foundation", "Testing", "XCTest", "Swift", "Dispatch", "Glibc", "Darwin", "PackageDescription",
    ]

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "async", "some", "any", "Type", "Protocol",
    ]

    /// NAME must be a Swift identifier usable as a type and module name: an ASCII letter, then
    /// ASCII letters, digits and underscores; not a keyword, not a module the package imports.
    static func validate(name: String) throws {
        let accepted = "a Swift identifier: an ASCII letter, then ASCII letters, digits or underscores, e.g. MySampler"
        func reject(_ why: String) -> WorkbenchError {
            .invalidValue(owner: "bench new-plugin", name: "NAME", value: name, accepted: accepted + why)
        }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789_"))
        guard let first = name.unicodeScalars.first, letters.contains(first),
              name.unicodeScalars.allSatisfy({ rest.contains($0) })
        else { throw reject("") }
        if keywords.contains(name) { throw reject(" (not a Swift keyword)") }
        if reservedNames.contains(name) {
            throw reject(" (not a module the plugin imports: \(reservedNames.sorted().joined(separator: ", ")))")
        }
        if name.count > 60 { throw reject(" (at most 60 characters)") }
    }

    static func kebab(_ name: String) -> String {
        let chars = Array(name)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c == "_" {
                if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
                continue
            }
            if c.isUppercase, i > 0, !out.hasSuffix("-") {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out += "-" }
            }
            out += c.lowercased()
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The files to write, by path relative to the package folder.
    var files: [(path: String, contents: String)] {
        [
            ("Package.swift", packageManifest),
            ("Sources/\(name)/\(name).swift", pluginSource),
            ("Sources/\(executable)/main.swift", mainSource),
            ("Tests/\(testTarget)/\(testTarget).swift", testSource),
            ("README.md", readme),
            (".gitignore", ".build/\n.swiftpm/\nPackage.resolved\nreports/\n"),
        ]
    }

    /// Writes the package into `folder`, which must not exist yet.
    func write(to folder: URL) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.path) {
            throw WorkbenchError.file(
                path: folder.path,
                problem: "already exists; new-plugin never overwrites: choose another NAME or --dir, or remove the folder")
        }
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(contents.utf8).write(to: url, options: .withoutOverwriting)
            } catch {
                throw WorkbenchError.file(path: url.path, problem: "cannot be written (\(error.localizedDescription))")
            }
        }
    }

    // MARK: - Templates

    var packageManifest: String {
        """
        // swift-tools-version:6.0
        // An out-of-tree \(kind.rawValue) plugin for the SG-MCMC workbench: `\(id)` (\(name)), the
        // command line `\(executable)` (the workbench's `bench` with it registered), and its tests.
        import PackageDescription

        let package = Package(
            name: "\(name)",
            platforms: [.macOS(.v14)],
            dependencies: [
                // The workbench checkout this package was generated from (`bench new-plugin`).
                .package(name: "sgmcmc-workbench", path: "\(workbenchPath)"),
            ],
            targets: [
                .target(
                    name: "\(name)",
                    dependencies: [.product(name: "Workbench", package: "sgmcmc-workbench")]),
                .executableTarget(
                    name: "\(executable)",
                    dependencies: [
                        "\(name)",
                        .product(name: "BenchCLI", package: "sgmcmc-workbench"),
                        .product(name: "Plugins", package: "sgmcmc-workbench"),
                        .product(name: "Workbench", package: "sgmcmc-workbench"),
                    ]),
                .testTarget(
                    name: "\(testTarget)",
                    dependencies: [
                        "\(name)",
                        .product(name: "WorkbenchTesting", package: "sgmcmc-workbench"),
                        .product(name: "Workbench", package: "sgmcmc-workbench"),
                        // The built-in targets, for tests beyond the conformance kit.
                        .product(name: "Plugins", package: "sgmcmc-workbench"),
                    ]),
            ]
        )

        """
    }

    /// Every kind registers by type, through its `plugin`.
    var registration: String { "[\(name).plugin]" }

    var mainSource: String {
        """
        // `\(executable)`: the workbench's command line with `\(id)` registered beside the
        // built-ins; every command (list, run, grid, report, …) sees it. A duplicate id stops it at
        // start-up with a message naming both plugins.
        import BenchCLI
        import Plugins
        import Workbench
        import \(name)

        BenchCLI.main(registry: try Registry.builtin + \(registration))

        """
    }

    var testSource: String {
        let call: String
        switch kind {
        case .sampler: call = "Conformance.check(sampler: \(name).self)"
        case .target: call = "Conformance.check(target: \(name).self)"
        case .diagnostic: call = "Conformance.check(diagnostic: \(name).self)"
        }
        let what: String
        switch kind {
        case .sampler:
            what = "determinism under a seed, the gradient cost per step and at\n    /// set-up it declares, with and without closed-form Hessians, no divergence at a tiny\n    /// step, hyperparameter validation."
        case .target:
            what = "∇U against finite differences, unbiased minibatch\n    /// gradients, the reference's shape, option validation."
        case .diagnostic:
            what = "metrics tagged with the diagnostic's id and uniquely\n    /// named, the same numbers for the same run."
        }
        return """
            import Testing
            import Workbench
            import WorkbenchTesting
            @testable import \(name)

            @Suite struct \(testTarget) {
                /// The workbench's conformance kit: \(what)
                @Test func conformsToTheWorkbench() {
                    let failures = \(call)
                    #expect(failures.isEmpty, "\\(failures)")
                }
            }

            """
    }

    var readme: String {
        """
        # \(name)

        An out-of-tree \(kind.rawValue) for the SG-MCMC workbench, generated by `bench new-plugin`.
        The plugin is `Sources/\(name)/\(name).swift`; edit it, then:

        ```sh
        swift build                       # the first build compiles the workbench too
        swift test                        # the conformance kit on the plugin
        .build/debug/\(executable) list    # the built-ins and `\(id)`
        \(exampleGrid)
        ```

        The workbench is the path dependency in Package.swift (\(workbenchPath)); its
        `plugins/README.md` explains the protocol and the conformance checks.

        """
    }

    var exampleGrid: String {
        switch kind {
        case .sampler:
            return ".build/debug/\(executable) grid --samplers \(id),sgld --targets std-normal-1d,gaussian-iso \\\n    --step-sizes 0.01,0.05 --seeds 1,2 --steps 20000 --out reports/\(id)"
        case .target:
            return ".build/debug/\(executable) grid --samplers sgld,exact --targets \(id),std-normal-1d \\\n    --step-sizes 0.01,0.05 --seeds 1,2 --steps 20000 --out reports/\(id)"
        case .diagnostic:
            return ".build/debug/\(executable) grid --samplers sgld,exact --targets std-normal-1d,gaussian-iso \\\n    --step-sizes 0.01,0.05 --seeds 1,2 --steps 20000 --diagnostics ess,moments,\(id) --out reports/\(id)"
        }
    }

    var pluginSource: String {
        switch kind {
        case .sampler: return samplerSource
        case .target: return targetSource
        case .diagnostic: return diagnosticSource
        }
    }

    var samplerSource: String {
        """
        import Workbench

        /// `\(id)`: describe the update rule here, with its paper, in the conventions of the
        /// workbench's docs/SAMPLERS.md (π ∝ exp(−U), ∇Ũ the sum-scale minibatch gradient, h the
        /// step of dθ = −∇U dt + √2 dW), and say how you converted it if the paper uses another.
        ///
        /// The example filled in: Langevin at temperature T, θ ← θ − h∇Ũ(θ) + √(2hT) ξ (T = 1 is
        /// SGLD). One minibatch gradient per step.
        public struct \(name): Sampler {
            public let stepSize: Double
            public let temperature: Double

            public static let id = "\(id)"
            public static let summary = "\(name) (example: Langevin at temperature T)"
            /// h is a fixed step; the tuning protocol sweeps around h₀·s² (a Langevin time step).
            public static let stepSizePolicy = StepSizePolicy.fixed(StepSizeDefault(0.05, scaling: .time))
            /// The hyperparameters, declared once: each property's wrapper gives its accepted values
            /// and help, its initial value the default, and its name (kebab case) the one users type
            /// (`--param \(id).temperature=2`). `@Integer` declares a whole number and `@Choice` one
            /// of an `enum …: String, ParameterChoice`. `bench list` and validation read them here.
            public struct Parameters: ParameterSet {
                @Real(in: 1e-3...1e3, help: "T: the injected noise is √(2hT) ξ")
                public var temperature = 1.0
                public init() {}
            }

            /// What a chain costs: one minibatch gradient (n per-datum evaluations) per step and
            /// nothing at set-up. Gradient budgets and dry runs use it; the conformance kit checks it.
            public static func gradientCost(parameters: Parameters, target: TargetCapabilities) -> GradientCost {
                GradientCost(batchGradientsPerStep: 1)
            }

            public init(stepSize: Double, parameters: Parameters) {
                self.stepSize = stepSize
                temperature = parameters.temperature
            }

            public struct State: SamplerState {
                public var position: [Double]
                var gradient: [Double]  // allocated once: a step must not allocate
            }

            public func initialState(position: [Double], oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> State {
                State(position: position, gradient: [Double](repeating: 0, count: position.count))
            }

            public func step(_ state: inout State, oracle: inout GradientOracle, rng: inout Xoshiro256StarStar) -> StepInfo {
                oracle.stochasticGradient(at: state.position, into: &state.gradient)  // ∇Ũ, costs n
                let noise = (2 * stepSize * temperature).squareRoot()
                for i in 0..<state.position.count {
                    state.position[i] += -stepSize * state.gradient[i] + noise * rng.normal()
                }
                return StepInfo()
            }
        }

        """
    }

    var targetSource: String {
        """
        import Foundation
        import Workbench

        /// `\(id)`: describe the distribution here in the conventions of the workbench's
        /// docs/TARGETS.md: π(θ) ∝ exp(−U(θ)), U = −log p(θ) − Σ_{i=1..N} log p(x_i | θ), the
        /// minibatch gradient unbiased at sum scale, and a reference (exact, or from draws).
        ///
        /// The example filled in: N(0, s² I) in dimension d, with no data (N = 1), exact.
        public struct \(name): Target, ExactlySampleable, TargetDefinition {
            public static let id = "\(id)"
            public static let summary = "\(name) (example: N(0, s² I))"

            /// The options, declared once: each property is one (its name in kebab case), with
            /// its default, accepted values and help for `bench list`.
            public struct Options: ParameterSet {
                @Integer(in: 1...10_000, help: "d") public var dimension = 2
                @Real(in: 1e-3...1e3, help: "s, the standard deviation of each coordinate") public var scale = 1.0
                public init() {}
            }

            /// The target for validated options.
            public static func make(options: Options) throws -> any Target {
                \(name)(dimension: options.dimension, scale: options.scale)
            }

            public var id: String { Self.id }
            public let dimension: Int
            public let dataSize = 1
            public let scale: Double

            public var reference: Reference {
                let v = scale * scale
                let s = scale
                let marginal = Marginal(
                    density: { x in exp(-0.5 * x * x / v) / (s * (2 * Double.pi).squareRoot()) },
                    cdf: { x in 0.5 * erfc(-x / (s * 2.0.squareRoot())) })
                return Reference(
                    kind: .exact, mean: Array(repeating: 0, count: dimension), variance: Array(repeating: v, count: dimension),
                    secondMoment: Array(repeating: v, count: dimension), secondMomentVariance: Array(repeating: 2 * v * v, count: dimension),
                    marginals: Array(repeating: marginal, count: dimension))
            }

            public func potential(at x: [Double]) -> Double {
                x.reduce(0) { $0 + $1 * $1 } / (2 * scale * scale)
            }

            public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
                for i in 0..<dimension { gradient[i] = x[i] / (scale * scale) }
            }

            /// With N = 1 every run is full batch; a target with data sums over `batch` × N/n.
            public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
                potentialGradient(at: x, into: &gradient)
            }

            public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
                (0..<dimension).map { _ in 2 * scale * rng.normal() }
            }

            public func drawExact(into x: inout [Double], rng: inout Xoshiro256StarStar) {
                for i in 0..<dimension { x[i] = scale * rng.normal() }
            }
        }

        """
    }

    var diagnosticSource: String {
        """
        import Workbench

        /// `\(id)`: describe what it measures here, in the conventions of the workbench's
        /// docs/DIAGNOSTICS.md (a metric has a name, a unit and a direction; an undefined value
        /// is nil).
        ///
        /// The example filled in: the largest standardised error of the pooled mean,
        /// max_i |x̄_i − E[x_i]| / sd_i, over the chains that did not diverge.
        public struct \(name): Diagnostic {
            public static let id = "\(id)"
            public static let summary = "\(name) (example: largest standardised mean error)"

            /// The registry builds it with `init()` when a run needs it.
            public init() {}

            public func evaluate(_ run: RunRecord, reference: Reference) -> [Metric] {
                let moments = run.pooledMoments
                var worst: Double? = nil
                if moments.count > 0 {
                    worst = zip(moments.mean, zip(reference.mean, reference.standardDeviation))
                        .map { abs($0 - $1.0) / $1.1 }.max()
                }
                return [Metric(diagnostic: id, name: "mean-error-max", value: worst, unit: "sd", direction: .lowerIsBetter)]
            }
        }

        """
    }
}
