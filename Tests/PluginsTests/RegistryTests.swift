import Testing
@testable import Plugins
import Workbench

@Suite struct RegistryTests {
    @Test func builtinsAreRegisteredOnce() {
        let r = Registry.builtin
        #expect(r.samplers.map(\.id) == [
            "sgld", "exact", "sghmc", "sgnht", "mclmc", "sg-mclmc", "smile", "smile-precond", "mala", "hmc",
        ])
        #expect(r.targets.map(\.id) == ["std-normal-1d", "gaussian-iso", "gaussian-illcond"])
        #expect(r.diagnostics.map(\.id) == [
            "ess", "ess-per-gradient", "grads-to-accuracy", "moments", "marginals", "ksd", "mmd", "stability", "predictive",
        ])
    }

    @Test func aDuplicateIDIsNamed() throws {
        let mine = try Registry(samplers: [SGLD.plugin])
        #expect(throws: WorkbenchError.duplicateID(kind: "sampler", id: "sgld")) { try Registry.builtin + mine }
    }

    @Test func presetsExpandToValidCells() throws {
        let cells = try GridPresets.quick.cells(registry: .builtin)
        let withStep = Registry.builtin.samplers.filter(\.usesStepSize).count
        let withoutStep = Registry.builtin.samplers.count - withStep
        #expect(cells.count == 3 * (withStep * 4 * 2 + withoutStep * 2))
        #expect(throws: WorkbenchError.self) { try GridPresets.named("quik") }
    }
}
