import ArgumentParser
import Foundation
import Workbench

/// `bench gradient-cost`: the wall time of one minibatch gradient per target, at the target's
/// default batch size (full batch for targets without data), through the counting oracle as a
/// sampler would get it. A benchmark, not a test: build with `-c release` first.
struct GradientCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradient-cost", abstract: "Measure µs per minibatch gradient of each target (release build).",
        discussion: "Example: bench gradient-cost --targets bnn-uci-yacht,bnn-smile-energy,bnn-classify --batch-size full")

    @Option(help: "Comma-separated target ids, or 'all'.") var targets: String = "all"
    @Option(help: "Seconds to spend per target (after a warm-up of a tenth of that).") var seconds: Double = 1
    @Option(name: .customLong("batch-size"), help: BatchSizeChoice.help) var batchSize: BatchSizeChoice = .targetDefault

    func run() throws {
        try reportingUserErrors {
            let registry = Bench.registry
            let ids = try registry.targetIDs(targets.split(separator: ",").map(String.init))
            print("target                        d      N  batch   µs/gradient  µs/datum")
            for id in ids {
                let target = try registry.target(id).make(options: [:]).0
                let batch = batchSize.resolved(for: target)
                var oracle = GradientOracle(target: target, batchSize: batch, rng: Xoshiro256StarStar(seed: 1))
                var rng = Xoshiro256StarStar(seed: 2)
                let x = target.initialPoint(rng: &rng)
                var g = [Double](repeating: 0, count: target.dimension)
                func measure(_ budget: Double) -> (calls: Int, seconds: Double) {
                    let start = Date()
                    var calls = 0, elapsed = 0.0
                    repeat {
                        for _ in 0..<32 { oracle.stochasticGradient(at: x, into: &g) }
                        calls += 32
                        elapsed = Date().timeIntervalSince(start)
                    } while elapsed < budget
                    return (calls, elapsed)
                }
                _ = measure(seconds / 10)
                let (calls, elapsed) = measure(seconds)
                let micro = elapsed / Double(calls) * 1e6
                let n = batch.count(dataSize: target.dataSize)
                print(id.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(format: "%5d %6d %6@ %13.2f %9.3f", target.dimension, target.dataSize,
                             batch.description, micro, micro / Double(n)))
            }
        }
    }
}
