import Testing
@testable import Plugins
import Workbench

@Suite struct RegistryTests {
    @Test func builtinsAreRegisteredOnce() {
        let r = Registry.builtin
        #expect(r.samplers.map(\.id) == ["sgld", "exact"])
        #expect(r.targets.map(\.id) == [
            "std-normal-1d", "gaussian-iso", "gaussian-illcond", "gaussian-corr-2d", "funnel", "banana",
            "eight-schools-noncentered", "eight-schools-centered", "sblri",
            "bnn-uci-yacht", "bnn-uci-energy", "bnn-uci-concrete", "bnn-classify",
        ])
        #expect(r.diagnostics.map(\.id) == ["ess", "moments"])
    }

    @Test func aDuplicateIDIsNamed() throws {
        let mine = try Registry(samplers: [SGLD.plugin])
        #expect(throws: WorkbenchError.duplicateID(kind: "sampler", id: "sgld")) { try Registry.builtin + mine }
    }

    @Test func presetsExpandToValidCells() throws {
        let cells = try GridPresets.quick.cells(registry: .builtin)
        // sgld: every target × 4 step sizes × 2 seeds; exact: the 6 targets with an exact
        // sampler × 2 seeds (exact is not crossed with the others).
        #expect(cells.count == 13 * 4 * 2 + 6 * 2)
        #expect(throws: WorkbenchError.self) { try GridPresets.named("quik") }
    }
}
