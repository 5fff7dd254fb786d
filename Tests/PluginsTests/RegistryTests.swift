import Testing
@testable import Plugins
import Workbench

@Suite struct RegistryTests {
    @Test func builtinsAreRegisteredOnce() {
        let r = Registry.builtin
        #expect(r.samplers.map(\.id) == [
            "sgld", "sgld-cv", "psgld", "psgld-gamma", "adam-sgld", "asgld", "fsgld",
            "sgrld-monge", "sgrld-monge-gamma", "sgrld-shampoo", "cyclical-sgld", "exact",
        ])
        #expect(r.targets.map(\.id) == ["std-normal-1d", "gaussian-iso", "gaussian-illcond"])
        #expect(r.diagnostics.map(\.id) == ["ess", "moments"])
    }

    @Test func aDuplicateIDIsNamed() throws {
        let mine = try Registry(samplers: [SGLD.plugin])
        #expect(throws: WorkbenchError.duplicateID(kind: "sampler", id: "sgld")) { try Registry.builtin + mine }
    }

    @Test func presetsExpandToValidCells() throws {
        let cells = try GridPresets.quick.cells(registry: .builtin)
        // 11 samplers with a step size × 4 step sizes × 2 seeds, plus `exact` once per seed.
        #expect(cells.count == 3 * (11 * 4 * 2 + 2))
        #expect(throws: WorkbenchError.self) { try GridPresets.named("quik") }
        // seed-001: the Langevin family, one full-batch cell each on std-normal-1d at h = 1e−4.
        let seed001 = try GridPresets.named("seed-001").cells(registry: .builtin).map(\.cell)
        #expect(seed001.map(\.sampler) == Registry.builtin.samplers.map(\.id).filter { $0 != "exact" })
        #expect(seed001.allSatisfy { $0.target == "std-normal-1d" && $0.stepSize == 1e-4 && $0.batchSize == nil && $0.steps == 10_000_000 })
    }
}
