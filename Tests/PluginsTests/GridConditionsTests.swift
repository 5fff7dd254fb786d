import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// The per-target axes and the noise budget scale of a grid spec (`targetNoise`,
/// `targetBatchSizes`, `noiseBudgetScale`): what the `quick` preset uses to add the
/// minibatch-gradient condition beside the exact one.
@Suite struct GridConditionsTests {
    func spec() -> GridSpec {
        GridSpec(samplers: ["sgld"], targets: ["gaussian-corr-2d", "sblri"], stepSizes: [0.01], noise: ["none", "isotropic"],
                 steps: 100, gradientBudget: 100, noiseBudgetScale: ["isotropic": 0.0256],
                 targetBatchSizes: ["sblri": [.targetDefault, .given(.size(10))]])
    }

    func steps(_ cells: [Cell]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: cells.map { ($0.key.split(separator: "|").dropFirst().prefix(3).joined(separator: "|"), $0.steps) })
    }

    @Test func eachConditionGetsItsCellsAndBudget() throws {
        let cells = try spec().cells(registry: .builtin).map(\.cell)
        let byCondition = steps(cells)
        // Isotropic minibatches of 256 of N = 10 000 at 0.0256 of the budget: as many gradient
        // calls (100) as the exact cells; sblri's batches of 10 of its 100 rows spend the same
        // full-gradient equivalents as its full batch, in ten times the steps.
        #expect(byCondition == ["gaussian-corr-2d|noise=none|h=0.01": 100, "gaussian-corr-2d|noise=isotropic|h=0.01": 100,
                                "sblri|h=0.01|n=full": 100, "sblri|h=0.01|n=10": 1_000], "\(byCondition)")
        // A full-batch sampler never sees the noise: it keeps the exact condition's budget.
        var fullBatch = spec()
        fullBatch.samplers = ["mala"]
        fullBatch.targets = ["gaussian-corr-2d"]
        let mala = try fullBatch.cells(registry: .builtin).map(\.cell)
        #expect(mala.count == 2 && Set(mala.map(\.steps)).count == 1, "\(mala.map { ($0.key, $0.steps) })")
        var exactOnly = spec()
        exactOnly.targetNoise = ["gaussian-corr-2d": ["none"]]
        #expect(try exactOnly.cells(registry: .builtin).filter { $0.cell.target == "gaussian-corr-2d" }.count == 1)
    }

    /// `targetOptionSets` crosses option sets per target like the noise axis: each set is
    /// laid over `targetOptions` and gets its own cells; an empty list is refused by name.
    @Test func optionSetsAreCrossedAndRoundTrip() throws {
        var grid = spec()
        grid.targets = ["gaussian-corr-2d"]
        grid.noise = ["none"]
        grid.targetOptions = ["gaussian-corr-2d": ["correlation": .number(0.5)]]
        grid.targetOptionSets = ["gaussian-corr-2d": [[:], ["correlation": .number(0.9)]]]
        let cells = try grid.cells(registry: .builtin).map(\.cell)
        #expect(cells.map { $0.targetOptions["correlation"] } == [.number(0.5), .number(0.9)], "\(cells.map(\.key))")
        let decoded = try JSONDecoder().decode(GridSpec.self, from: try grid.canonicalJSON())
        #expect(try decoded.identityHash() == grid.identityHash() && decoded.targetOptionSets == grid.targetOptionSets)
        grid.targetOptionSets = ["gaussian-corr-2d": []]
        #expect(throws: WorkbenchError.self) { try grid.cells(registry: .builtin) }
        #expect(!String(decoding: try spec().canonicalJSON(), as: UTF8.self).contains("targetOptionSets"))
    }

    @Test func unsetFieldsLeaveTheIdentityAndSetOnesRoundTrip() throws {
        var plain = spec()
        plain.noiseBudgetScale = [:]
        plain.targetBatchSizes = [:]
        let json = String(decoding: try plain.canonicalJSON(), as: UTF8.self)
        #expect(!json.contains("noiseBudgetScale") && !json.contains("targetBatchSizes") && !json.contains("targetNoise"))
        var full = spec()
        full.targetNoise = ["gaussian-corr-2d": ["none"]]
        let decoded = try JSONDecoder().decode(GridSpec.self, from: try full.canonicalJSON())
        #expect(try decoded.identityHash() == full.identityHash())
        #expect(decoded.targetNoise == ["gaussian-corr-2d": ["none"]] && decoded.noiseBudgetScale == ["isotropic": 0.0256])
    }

    @Test func badValuesAreNamed() {
        var bad = spec()
        bad.noiseBudgetScale = ["bogus": 1]
        #expect(throws: WorkbenchError.self) { try bad.cells(registry: .builtin) }
        bad = spec()
        bad.noiseBudgetScale = ["isotropic": 0]
        #expect(throws: WorkbenchError.self) { try bad.validate() }
        bad = spec()
        bad.targetBatchSizes = ["sblri": []]
        #expect(throws: WorkbenchError.self) { try bad.validate() }
        bad = spec()
        bad.targetNoise = ["sblri": ["none", "none"]]
        #expect(throws: WorkbenchError.self) { try bad.validate() }
        bad = spec()
        bad.targetNoise = ["no-such-target": ["none"]]
        #expect(throws: WorkbenchError.self) { try bad.cells(registry: .builtin) }
    }
}
