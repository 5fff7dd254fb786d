import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// One chain is the unit of work (`CellChains`): chain c of a cell draws from generators fixed
/// by (seed, cell key, c), so the grid runner with its chains one after another, the grid
/// runner with them at once, and the reference builder give the same chains, bit for bit.
@Suite struct ChainUnitTests {
    static let provenance = Provenance(revision: "test", toolchain: "", libraries: [:], host: "", date: "")

    /// The one cell of `spec` run by the grid runner with `jobs` cores (one cell: its chains get
    /// them all), with its draws exported: the cell, the draws read back, and the result.
    func gridRun(_ spec: GridSpec, jobs: Int) throws -> (cell: Cell, draws: DrawsArray, result: CellResult) {
        let folder = try scratchFolder("chain-unit")
        let runner = GridRunner(registry: .builtin)
        let export = GridRunner.DrawsExport(folder: folder, format: .npy)
        let store = ResultStore(path: folder + "/results.jsonl")
        let outcome = try runner.run(
            spec, store: store, provenance: Self.provenance, options: .init(jobs: jobs),
            executor: runner.inProcessExecutor(diagnostics: [try Registry.builtin.diagnostic("moments")], provenance: Self.provenance,
                                               exportDraws: export))
        let cells = try spec.cells(registry: .builtin).map(\.cell)
        try #require(cells.count == 1 && outcome.results.count == 1)
        try #require(outcome.results[0].status == .ok, "\(outcome.results[0].message ?? "")")
        return (cells[0], try DrawsFile.read(export.path(for: cells[0])), outcome.results[0])
    }

    /// Where two runs' values first differ bit for bit (a count mismatch is a difference at
    /// the shorter's end); nil when they are identical. Keeps a failure's message short.
    func firstDifference(_ a: some Collection<Double>, _ b: some Collection<Double>) -> Int? {
        if let i = zip(a, b).enumerated().first(where: { $0.element.0.bitPattern != $0.element.1.bitPattern })?.offset { return i }
        return a.count == b.count ? nil : min(a.count, b.count)
    }

    /// A minibatch sampler on a data posterior (both generators of every chain in use): the
    /// grid runner with one core (chains in turn) and with four (four chains at once) stores
    /// the same draws and spends the same gradients; so does `CellRunner` at any thread count.
    @Test func gridChainsAreTheSameInTurnAndAtOnce() throws {
        let spec = GridSpec(samplers: ["sgld"], targets: ["sblri"], stepSizes: [1e-8], batchSizes: [.size(10)],
                            seeds: [5], chains: 4, steps: 1_500, warmup: 100, diagnostics: ["moments"])
        let serial = try gridRun(spec, jobs: 1)
        let parallel = try gridRun(spec, jobs: 4)
        #expect(serial.draws.chains == 4 && serial.draws.draws == 1_400)
        #expect(firstDifference(serial.draws.values, parallel.draws.values) == nil)
        #expect(serial.result.perDatumGradientEvaluations == parallel.result.perDatumGradientEvaluations)
        #expect(!serial.result.metrics.isEmpty)
        #expect(serial.result.metrics.map { $0.value?.bitPattern } == parallel.result.metrics.map { $0.value?.bitPattern })
        // Chain c alone, from the unit itself, is row c of both.
        let chains = try CellChains(serial.cell, registry: .builtin)
        let perChain = serial.draws.values.count / 4
        for c in [3, 0] {
            let alone = chains.runChain(c)
            #expect(alone.record.divergenceStep == nil)
            #expect(firstDifference(alone.record.draws, serial.draws.values[(c * perChain)..<((c + 1) * perChain)]) == nil)
        }
        #expect(CellChains.workers(chains: 4, threads: 4) == 4 && CellChains.workers(chains: 4, threads: 1) == 1)
        #expect(CellChains.workers(chains: 2, threads: 8) == 2 && CellChains.workers(chains: 3, threads: 0) == 1)
    }

    /// `bench reference`'s builder runs the chains of the grid's cell with the same key: the
    /// cached draws are the grid's draws (thinned as the builder thins them), bit for bit.
    @Test func referenceBuilderRunsTheGridsChains() throws {
        let folder = try scratchFolder("chain-unit-reference")
        let settings = ReferenceBuildSettings(sampler: "exact", stepSize: nil, seed: 3, chains: 4, steps: 2_600, warmup: 0)
        let (metadata, path) = try ReferenceCache.$directoryOverride.withValue(folder) {
            try ReferenceBuilder(registry: .builtin).build(
                targetID: "funnel", options: [:], settings: settings, provenance: Self.provenance)
        }
        let spec = GridSpec(samplers: ["exact"], targets: ["funnel"], stepSizes: [0.1], batchSizes: [.full],
                            seeds: [3], chains: 4, steps: 2_600, warmup: 0, diagnostics: ["moments"])
        let grid = try gridRun(spec, jobs: 1)
        let funnel = try makeTarget("funnel")
        #expect(grid.cell.key == ReferenceBuilder.cell(targetID: "funnel", options: [:], target: funnel, settings: settings).key)
        #expect(metadata.cellKey == grid.cell.key)
        let d = grid.draws.dimension
        let k = metadata.stepsBetweenDraws
        let expected = ReferenceQuality.thin((0..<4).map { Array(grid.draws.chain($0)) }, by: k, dimension: d)
        let npy = String(path.dropLast(5)) + ".npy"
        let (cached, shape) = try NpyFloat64.read([UInt8](try #require(FileManager.default.contents(atPath: npy))), path: npy)
        #expect(shape == [4, metadata.drawsPerChain, d] && metadata.drawsPerChain == 2_500)
        #expect(firstDifference(cached, Array(expected.joined())) == nil)
    }
}
