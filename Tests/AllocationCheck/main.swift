// allocation-check: issue 9's memory contract, that no sampler step and no target gradient
// allocates, checked on the release build (scripts/test runs it after `swift test`).
//
// Every built-in sampler runs on targets that take each gradient path — closed-form
// Gaussians (the rotated one under anisotropic minibatch noise), the funnel, a model-scale
// posterior, a data posterior with minibatches, and both kinds of BNN (pooled MLP
// workspaces) — set up as the runner sets up a chain. The heap allocations of the calling
// thread (malloc, calloc, realloc: AllocationCounter) are counted
// - over `countedSteps` steps after the warm-up: they must be zero;
// - at each warm-up step: samplers that tune themselves (mala, hmc, mclmc) may allocate when a
//   warm-up phase ends (a dual-averaging window closes, L is set from the ESS), but at no more
//   than `phaseEndLimit` of the warm-up's steps, whatever its length: never once per step.
// Batched samplers (`BatchedSampler`) are checked again through the runner, recording
// included: a batch of chains (`CellChains.runBatch`) and one chain alone (`runChain`) run for
// two lengths whose kept-step counts fall between the same two checkpoints (which allocate,
// 2d numbers each). Identical runs differ by up to about ten allocations (measured: a batch of
// four makes 670–820, mostly its checkpoints, and two runs of one length differ by 0–16), so
// the 40 more steps of the longer run must add fewer than 20: never one per step.
// The workbench's side of an external sampler (a session serving the NumPy ext-sgld) is checked
// the same way through the runner, when python3 with NumPy is there.
// Exit status 1 names every sampler and target that broke the contract.
import AllocationCounter
import Foundation
import Plugins
import Workbench

/// (target id, options): one per gradient path.
let targets: [(String, [String: ParameterValue])] = [
    ("std-normal-1d", [:]),
    ("gaussian-iso", ["noise": .text("isotropic")]),
    ("gaussian-illcond", ["noise": .text("anisotropic")]),
    ("gaussian-illcond", ["noise": .text("spatially_varied")]),
    ("funnel", [:]),
    ("eight-schools-centered", [:]),
    ("sblri", [:]),
    ("bnn-uci-yacht", [:]),
    ("bnn-classify", [:]),
    ("bnn-smile-energy", [:]),
]
let countedSteps = 10
let warmup = 100
/// The most warm-up steps that may allocate (the ends of a tuner's phases).
let phaseEndLimit = 4

/// For a chain set up as the runner sets one up: the warm-up steps after the first (which may
/// size buffers) that allocated, with their allocations, and the allocations of
/// `countedSteps` steps after the warm-up.
func allocations<S: Sampler>(_ sampler: S, target: any Target) -> (warmupSteps: [Int: UInt64], sampling: UInt64) {
    var rng = Xoshiro256StarStar(seed: 1, stream: "allocation-check|\(target.id)", index: 0)
    var oracle = GradientOracle(target: target, batchSize: target.defaultBatchSize,
                                rng: Xoshiro256StarStar(seed: 1, stream: "allocation-check|\(target.id)#batches", index: 0))
    let sampler = sampler.prepared(forSteps: warmup + countedSteps)
    var state = sampler.initialState(position: target.initialPoint(rng: &rng), warmup: warmup, oracle: &oracle, rng: &rng)
    _ = sampler.step(&state, oracle: &oracle, rng: &rng)
    var warmupSteps: [Int: UInt64] = [:]
    warmupSteps.reserveCapacity(warmup)
    for step in 1..<warmup {
        let before = workbench_thread_allocations()
        _ = sampler.step(&state, oracle: &oracle, rng: &rng)
        let made = workbench_thread_allocations() - before
        if made > 0 { warmupSteps[step] = made }
    }
    let afterWarmup = workbench_thread_allocations()
    for _ in 0..<countedSteps { _ = sampler.step(&state, oracle: &oracle, rng: &rng) }
    return (warmupSteps, workbench_thread_allocations() - afterWarmup)
}

/// The kept-step counts of the two runs of `runnerAllocations`: both between the checkpoints
/// at 238 and 284 kept draws (`MomentCheckpoints`), so both record the same checkpoints.
let runnerKeptSteps = (shorter: 240, longer: 280)

/// The allocations of the calling thread while `CellChains` runs `cell`'s first four chains as
/// a batch and its chain 0 alone, for the shorter and the longer length; nil (with the reason)
/// when the two runs did not record the same checkpoints or a chain diverged, so the
/// difference would not be the steps'.
func runnerAllocations(_ cell: (Int) -> Cell, registry: Registry = .builtin, alone runAlone: Bool = true) throws
    -> Result<(batch: Int64, alone: Int64), CheckError>
{
    var counts: [(batch: UInt64, alone: UInt64)] = []
    var checkpoints: [[Int]] = []
    // A first, uncounted run of the shorter length makes the one-time allocations (type
    // metadata, lazily built tables) that would otherwise fall on the first counted run.
    for kept in [runnerKeptSteps.shorter, runnerKeptSteps.shorter, runnerKeptSteps.longer] {
        let chains = try CellChains(cell(kept), registry: registry)
        var before = workbench_thread_allocations()
        let batch = chains.runBatch(0..<4)
        let batchCount = workbench_thread_allocations() - before
        if let fault = batch.first?.fault { return .failure(CheckError("\(fault)")) }
        before = workbench_thread_allocations()
        let alone = runAlone ? chains.runChain(0) : batch[0]
        counts.append((batchCount, runAlone ? workbench_thread_allocations() - before : 0))
        if let diverged = (batch + [alone]).first(where: { $0.record.divergenceStep != nil }) {
            return .failure(CheckError("a chain diverged at step \(diverged.record.divergenceStep!)"))
        }
        checkpoints.append(Array(alone.record.checkpoints.counts.dropLast()))
    }
    guard checkpoints[1] == checkpoints[2] else {
        return .failure(CheckError("the runs recorded different checkpoints (\(checkpoints[1].suffix(3)) against \(checkpoints[2].suffix(3)))"))
    }
    return .success((Int64(counts[2].batch) - Int64(counts[1].batch), Int64(counts[2].alone) - Int64(counts[1].alone)))
}

/// The built-ins and the NumPy ext-sgld (examples/external/), or nil without python3 and NumPy.
func externalRegistry() -> Registry? {
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import numpy"]
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return nil }
    probe.waitUntilExit()
    guard probe.terminationStatus == 0,
          let manifest = try? ExternalManifest.load(ProjectPaths.root + "/examples/external/sgld.sampler.json") else { return nil }
    return try? Registry.builtin + [SamplerPlugin.external(manifest)]
}

struct CheckError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The counter must see an allocation, or every zero below would be vacuous.
func counterWorks() -> Bool {
    let before = workbench_thread_allocations()
    let values = [Double](repeating: 1, count: Int.random(in: 8...16))
    return workbench_thread_allocations() > before && values.count >= 8
}

func main() throws -> Int32 {
    guard counterWorks() else {
        print("allocation-check: the allocation counter saw no allocation (malloc is not interposed); nothing was checked")
        return 1
    }
    var failures: [String] = []
    var warmupNotes: [String] = []
    var pairs = 0
    for plugin in Registry.builtin.samplers {
        for (targetID, options) in targets {
            let target = try Registry.builtin.target(targetID).make(options: options).0
            guard plugin.incompatibility(with: target) == nil else { continue }
            // A tenth of the sampler's default step size here: no chain diverges (a diverged
            // position would take other paths); samplers that adapt h start from their default.
            let policy = plugin.stepSizePolicy
            let h = policy.stepSizeDefault.map { (policy.adapts ? 1 : 0.1) * $0.value(for: target) }
            let sampler = try plugin.make(stepSize: h, parameters: [:]).0
            let counted = allocations(sampler, target: target)
            pairs += 1
            let pair = "\(plugin.id) on \(targetID)"
            if counted.sampling != 0 {
                failures.append("\(pair): \(counted.sampling) allocations in \(countedSteps) steps after the warm-up")
            }
            let steps = counted.warmupSteps.keys.sorted()
            let described = steps.map { "\(counted.warmupSteps[$0]!) at step \($0)" }.prefix(8).joined(separator: ", ")
            if steps.count > phaseEndLimit {
                failures.append("\(pair): \(steps.count) of \(warmup - 1) warm-up steps allocated (\(described)…)")
            } else if !steps.isEmpty {
                warmupNotes.append("\(pair): \(described)")
            }
        }
    }
    var batchedPairs = 0
    for plugin in Registry.builtin.samplers where plugin.isBatched {
        for (targetID, options) in targets {
            let target = try Registry.builtin.target(targetID).make(options: options).0
            guard plugin.incompatibility(with: target) == nil else { continue }
            let warmupSteps = 50
            let pair = "\(plugin.id) on \(targetID) through the runner"
            // A tenth of the default step size, or less until no chain diverges (sghmc on sblri
            // and eight-schools-centered diverges at a tenth): a diverged chain stops early.
            var outcome: Result<(batch: Int64, alone: Int64), CheckError> = .failure(CheckError("no step size tried"))
            for factor in [0.1, 0.01, 0.001] {
                let h = plugin.stepSizePolicy.stepSizeDefault.map { factor * $0.value(for: target) }
                outcome = try runnerAllocations({ kept in
                    Cell(sampler: plugin.id, target: targetID, targetOptions: options, stepSize: h, batchSize: target.defaultBatchSize,
                         seed: 1, chains: 4, steps: warmupSteps + kept, warmup: warmupSteps)
                })
                if case .success = outcome { break }
            }
            switch outcome {
            case .failure(let reason):
                failures.append("\(pair): not checked: \(reason)")
            case .success(let extra):
                let steps = runnerKeptSteps.longer - runnerKeptSteps.shorter
                if extra.batch >= Int64(steps / 2) {
                    failures.append("\(pair): a batch of 4 chains allocated \(extra.batch) more times in \(steps) more steps")
                }
                if extra.alone >= Int64(steps / 2) {
                    failures.append("\(pair): one chain allocated \(extra.alone) more times in \(steps) more steps")
                }
            }
            batchedPairs += 1
        }
    }
    // The workbench's side of an external sampler (docs/EXTERNAL.md): a session answering the
    // NumPy ext-sgld's requests and records through the runner, a batch of four chains, checked
    // like the batched samplers (the child's start and the frames' buffers are once per cell).
    var externalPairs = 0
    if let registry = externalRegistry() {
        for (targetID, options) in [("std-normal-1d", [:]), ("gaussian-iso", ["noise": ParameterValue.text("isotropic")])] {
            let target = try registry.target(targetID).make(options: options).0
            let pair = "ext-sgld on \(targetID) through the runner (external session)"
            let outcome = try runnerAllocations({ kept in
                Cell(sampler: "ext-sgld", target: targetID, targetOptions: options, stepSize: 0.1 * target.lengthScale * target.lengthScale,
                     batchSize: target.defaultBatchSize, seed: 1, chains: 4, steps: 50 + kept, warmup: 50)
            }, registry: registry, alone: false)
            switch outcome {
            case .failure(let reason): failures.append("\(pair): not checked: \(reason)")
            case .success(let extra):
                let steps = runnerKeptSteps.longer - runnerKeptSteps.shorter
                if extra.batch >= Int64(steps / 2) {
                    failures.append("\(pair): a batch of 4 chains allocated \(extra.batch) more times in \(steps) more steps")
                }
            }
            if case .success(let extra) = outcome { print("allocation-check: \(pair): \(extra.batch) more allocations in 40 more steps") }
            externalPairs += 1
        }
    } else {
        print("allocation-check: python3 with NumPy not found; the external session is not checked")
    }
    if !warmupNotes.isEmpty {
        print("allocation-check: allocations at the ends of warm-up phases (once per chain, not per step): "
              + warmupNotes.joined(separator: "; "))
    }
    for failure in failures { print("allocation-check: FAILED: \(failure)") }
    let failedPairs = Set(failures.map { $0.components(separatedBy: ":")[0] }).count
    print("allocation-check: \(pairs) sampler × target pairs; \(countedSteps) steps counted after a warm-up of \(warmup)")
    print("allocation-check: \(batchedPairs) batched sampler × target pairs through the runner (batch of 4 and alone, recording included)")
    print("allocation-check: \(externalPairs) external-sampler sessions through the runner (ext-sgld, a batch of 4)")
    print("allocation-check: \(pairs + batchedPairs + externalPairs - failedPairs) passed, \(failedPairs) failed")
    return failures.isEmpty ? 0 : 1
}

do {
    exit(try main())
} catch {
    print("allocation-check: \(error)")
    exit(1)
}
