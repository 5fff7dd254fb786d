import Foundation
import Testing
@testable import Workbench

/// `BatchSize` is the one encoding of "full batch or n" from a spec to the oracle, and its
/// JSON is what it was when full batch was `nil`: results folders and baselines load unchanged.
@Suite struct BatchSizeTests {
    @Test func aSizeOfAtLeastNIsFullBatch() {
        #expect(BatchSize.size(9).resolved(dataSize: 10) == .size(9))
        #expect(BatchSize.size(10).resolved(dataSize: 10) == .full)
        #expect(BatchSize.size(11).resolved(dataSize: 10) == .full)
        #expect(BatchSize.full.count(dataSize: 10) == 10 && BatchSize.size(3).count(dataSize: 10) == 3)
        let target = IndexCountingTarget(dataSize: 10)
        #expect(BatchSizeChoice.size(10).resolved(for: target) == .full)
        #expect(BatchSizeChoice.targetDefault.resolved(for: target) == .full)
        for size in [BatchSize.size(10), .size(50), .full] {
            let oracle = GradientOracle(target: target, batchSize: size, rng: Xoshiro256StarStar(seed: 1))
            #expect(oracle.batch == .full && oracle.batchSize == 10)
        }
        let minibatch = GradientOracle(target: target, batchSize: 4, rng: Xoshiro256StarStar(seed: 1))
        #expect(minibatch.batch == .size(4) && minibatch.batchSize == 4)
    }

    /// A cell's and a result's `batchSize`: a number, or no key at all for full batch; the
    /// cell key says "n=full" or "n=256", and "batching=epoch" only for minibatches.
    @Test func cellsAndResultsEncodeAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let full = Cell(sampler: "s", target: "t", stepSize: 0.1, batchSize: .full, batching: .epoch, steps: 10)
        let mini = Cell(sampler: "s", target: "t", stepSize: 0.1, batchSize: 256, batching: .epoch, steps: 10)
        let fullJSON = String(decoding: try encoder.encode(full), as: UTF8.self)
        let miniJSON = String(decoding: try encoder.encode(mini), as: UTF8.self)
        #expect(!fullJSON.contains("batchSize"), "\(fullJSON)")
        #expect(miniJSON.contains(#""batchSize":256"#), "\(miniJSON)")
        #expect(full.key == "s|t|h=0.1|n=full|seed=1" && mini.key == "s|t|h=0.1|n=256|batching=epoch|seed=1")
        #expect(try JSONDecoder().decode(Cell.self, from: Data(fullJSON.utf8)).batchSize == .full)
        #expect(try JSONDecoder().decode(Cell.self, from: Data(miniJSON.utf8)).batchSize == .size(256))

        for (cell, expected) in [(full, nil), (mini, #""batchSize":256"#)] {
            let result = CellResult(cell: cell, status: .failed, message: "m", wallSeconds: 0, provenance: .current())
            let line = String(decoding: try ResultStore.encodedLine(result), as: UTF8.self)
            if let expected {
                #expect(line.contains(expected) && line.contains(#""batching":"epoch""#), "\(line)")
            } else {
                #expect(!line.contains("batchSize") && !line.contains("batching"), "\(line)")
            }
            let decoded = try JSONDecoder().decode(CellResult.self, from: Data(line.utf8))
            #expect(decoded.batchSize == cell.batchSize)
        }
    }

    /// A spec's batch sizes keep their JSON (numbers, "full", "default"), so spec hashes are
    /// unchanged; anything else is refused naming what is accepted.
    @Test func specBatchSizesEncodeAsBefore() throws {
        let choices: [BatchSizeChoice] = [.targetDefault, .full, .size(256)]
        #expect(String(decoding: try JSONEncoder().encode(choices), as: UTF8.self) == #"["default","full",256]"#)
        #expect(try JSONDecoder().decode([BatchSizeChoice].self, from: Data(#"["default","full",256]"#.utf8)) == choices)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([BatchSizeChoice].self, from: Data(#"["half"]"#.utf8)) }
        #expect(try BatchSizeChoice(parsing: "full") == .given(.full))
        #expect(throws: WorkbenchError.self) { try BatchSizeChoice(parsing: "0") }
        #expect(throws: WorkbenchError.self) { try BatchSizeChoice(parsing: "all") }
    }
}
