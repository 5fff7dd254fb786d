import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// Batched chains (`BatchedSampler`, issue 20): chain c of a cell is the same chain, bit for
/// bit, whether it runs alone (`CellChains.runChain`) or in a batch of 64 — or in any other
/// batch — because its numbers come only from its own generators and oracle.
@Suite struct BatchedChainsTests {
    /// Everything a chain leaves, as bit patterns: its draws, moments, histogram, checkpoints,
    /// length, divergence, truncation and gradient counts. Two chains are the same chain when
    /// these are equal.
    func fingerprint(_ chain: CellChains.Chain) -> [UInt64] {
        let r = chain.record
        var bits = r.draws.map(\.bitPattern)
        bits += (r.moments.mean + r.moments.sumOfSquaredDeviations).map(\.bitPattern)
        bits += [r.moments.count, r.steps, r.divergenceStep ?? -1, r.truncated ? 1 : 0, r.thin].map { UInt64(bitPattern: Int64($0)) }
        if let h = r.histogram { bits += (h.counts + [h.underflow, h.overflow]).map { UInt64(bitPattern: Int64($0)) } }
        bits += (r.checkpoints.counts + r.checkpoints.perDatumGradients).map { UInt64(bitPattern: Int64($0)) }
        bits += (r.checkpoints.means + r.checkpoints.meanSquares).flatMap { $0 }.map(\.bitPattern)
        bits += [chain.perDatumGradientEvaluations, chain.potentialEvaluations].map { UInt64(bitPattern: Int64($0)) }
        return bits
    }

    /// The cell's 64 chains as one batch (the first 64) match each chain run alone, and a
    /// chain in another batch (chains 10 ..< 30) is that chain again.
    func expectBatchOf64MatchesAlone(_ cell: Cell, alone: [Int]) throws -> [CellChains.Chain] {
        let chains = try CellChains(cell, registry: .builtin)
        #expect(chains.runsInBatches)
        let batch = chains.runBatch(0..<64)
        #expect(batch.count == 64)
        for c in alone {
            #expect(fingerprint(chains.runChain(c)) == fingerprint(batch[c]), "chain \(c) alone and in the batch of 64")
        }
        let other = chains.runBatch(10..<30)
        #expect(fingerprint(other[17 - 10]) == fingerprint(batch[17]), "chain 17 in the batch 10 ..< 30 and in 0 ..< 64")
        // The grid's path (runChains: one batch per thread) gives the same chains.
        #expect(chains.runChains(threads: 2).map(fingerprint) == batch.map(fingerprint))
        return batch
    }

    /// Full-batch gradients through `BatchGradientTarget` (one call for all rows), d = 100,
    /// constant step: the histogram, thinned draws and checkpoints of every chain.
    @Test func fullBatchGaussianChainsAreTheirAloneChains() throws {
        let cell = Cell(sampler: "sgld", target: "gaussian-iso", stepSize: 0.01, seed: 11, chains: 64, steps: 300, warmup: 50,
                        maxDrawsPerChain: 64)
        let batch = try expectBatchOf64MatchesAlone(cell, alone: Array(0..<64))
        #expect(batch.allSatisfy { $0.record.divergenceStep == nil && $0.record.steps == 300 && $0.record.thin > 1 })
        #expect(Set(batch.map { $0.record.moments.mean[0] }).count == 64, "the chains are not copies of each other")
    }

    /// A dense precision (the correlated 2-D Gaussian): the batch gradient's row sums in the
    /// single-point gradient's order.
    @Test func densePrecisionChainsAreTheirAloneChains() throws {
        let cell = Cell(sampler: "sgld", target: "gaussian-corr-2d", stepSize: 0.01, seed: 2, chains: 64, steps: 400, warmup: 40)
        let batch = try expectBatchOf64MatchesAlone(cell, alone: [0, 31, 63])
        #expect(batch.allSatisfy { $0.record.divergenceStep == nil && $0.record.steps == 400 })
    }

    /// sghmc, whose batch also carries the velocities: full batch on a dense precision, and its
    /// own minibatches on a data posterior recorded on the model scale.
    @Test func sghmcChainsAreTheirAloneChains() throws {
        let dense = Cell(sampler: "sghmc", target: "gaussian-corr-2d", stepSize: 0.05, seed: 4, chains: 64, steps: 300, warmup: 30)
        let minibatch = Cell(sampler: "sghmc", target: "sblri", stepSize: 1e-6, batchSize: .size(10), seed: 6, chains: 64,
                             steps: 200, warmup: 20)
        for cell in [dense, minibatch] {
            let batch = try expectBatchOf64MatchesAlone(cell, alone: [0, 17, 63])
            #expect(batch.filter { $0.record.divergenceStep == nil }.count >= 60, "\(cell.target)")
        }
    }

    /// Minibatch gradients on a data posterior with a decaying step: each chain draws its own
    /// minibatches from its own generator, through its own oracle, as alone.
    @Test func minibatchChainsDrawTheirOwnBatches() throws {
        let cell = Cell(sampler: "sgld", target: "sblri", hyperparameters: ["schedule-decay": .number(0.55)], stepSize: 1e-8,
                        batchSize: .size(10), seed: 5, chains: 64, steps: 200, warmup: 20)
        let batch = try expectBatchOf64MatchesAlone(cell, alone: [0, 1, 17, 40, 63])
        // Each chain is charged its own minibatches, 10 per step it ran (chain 0 starts far out
        // and diverges at the first bounded step; the others run to the end).
        #expect(batch.allSatisfy { $0.perDatumGradientEvaluations == 10 * $0.record.steps })
        #expect(batch.filter { $0.record.divergenceStep == nil && $0.record.steps == 200 }.count >= 60)
    }

    /// Chains that diverge at different steps stop there, charged nothing more, while the rest
    /// of the batch goes on: h = 2.02 on N(0, 1) multiplies θ by −1.02 a step, so each chain
    /// leaves the bounds at a step set by its own start and noise. With at most 16 stored draws
    /// the store is compacted every doubling, so chains stop with different thinnings; on the
    /// way out θ passes both ends of the histogram.
    @Test func divergedChainsStopAloneInTheBatch() throws {
        let cell = Cell(sampler: "sgld", target: "std-normal-1d", stepSize: 2.02, seed: 3, chains: 64, steps: 3_000, warmup: 0,
                        maxDrawsPerChain: 16)
        let batch = try expectBatchOf64MatchesAlone(cell, alone: Array(0..<64))
        let steps = batch.compactMap(\.record.divergenceStep)
        #expect(steps.count == 64 && Set(steps).count > 8, "divergence steps \(Set(steps).sorted())")
        #expect(Set(batch.map(\.record.thin)).count > 1, "thinnings \(Set(batch.map(\.record.thin)).sorted())")
        #expect(batch.allSatisfy { $0.perDatumGradientEvaluations == $0.record.steps })
        #expect(batch.allSatisfy { ($0.record.histogram?.underflow ?? 0) > 0 && ($0.record.histogram?.overflow ?? 0) > 0 },
                "θ swings past both ends of the histogram before it leaves the bounds")
    }
}
