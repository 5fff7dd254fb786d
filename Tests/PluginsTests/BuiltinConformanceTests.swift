import Testing
import Plugins
import Workbench
import WorkbenchTesting

/// Every built-in passes the conformance kit that plugin authors' tests call
/// (Sources/WorkbenchTesting): the kit's checks are the workbench's own standard.
@Suite struct BuiltinConformanceTests {
    /// Stationarity on the kit's Gaussian for samplers consistent as h → 0 whose bias at
    /// h = 0.01 is a fraction of the check's Monte Carlo error (SGLD: ≈ 2 % on the narrowest
    /// coordinate, σ² ≈ 0.25; the error is ≈ 4 %); the other families pin their laws in their own tests.
    static let stationarity: [String: Stationarity] = [
        "sgld": Stationarity(stepSize: 0.01, steps: 50_000),
        "exact": Stationarity(stepSize: nil, steps: 5_000),
    ]

    @Test(arguments: Registry.builtin.samplers.map(\.id)) func sampler(id: String) throws {
        let failures = Conformance.check(sampler: try Registry.builtin.sampler(id), stationarity: Self.stationarity[id])
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Smaller than the defaults where a target has these options, to keep the debug-build
    /// test fast (every gradient-noise model builds a synthetic data set); the defaults are
    /// still built once, by the option-validation check.
    static let smallOptions: [String: ParameterValue] = ["dimension": .number(12), "data-size": .number(1_000)]

    @Test(arguments: Registry.builtin.targets.map(\.id)) func target(id: String) throws {
        let plugin = try Registry.builtin.target(id)
        let options = Self.smallOptions.filter { name, _ in plugin.parameters.contains { $0.name == name } }
        let failures = Conformance.check(target: plugin, options: options)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test(arguments: Registry.builtin.diagnostics.map(\.id)) func diagnostic(id: String) throws {
        let failures = Conformance.check(diagnostic: try Registry.builtin.diagnostic(id))
        #expect(failures.isEmpty, "\(failures)")
    }
}
