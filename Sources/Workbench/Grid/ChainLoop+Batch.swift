import Foundation

extension ChainLoop {
    /// Runs a batch of chains in lock step (`BatchedSampler`): one batched step for all, then
    /// each running chain's `advance` on its row — the same checks and records as `run` gives
    /// it alone. A chain that diverges stops (its oracle is deactivated, so it is charged
    /// nothing more) while the others go on; the batch ends at the last step, when every chain
    /// has stopped, or at the deadline (the first loop's; every 256 steps), which truncates
    /// the chains still running.
    @inlinable
    public static func runBatch<S: BatchedSampler>(_ sampler: S, _ batch: inout S.Batch, loops: inout [ChainLoop],
                                                   oracle: inout BatchGradientOracle, rngs: inout [Xoshiro256StarStar]) {
        precondition(loops.count == oracle.count && rngs.count == oracle.count, "one loop, oracle and generator per chain")
        let steps = loops[0].steps, deadline = loops[0].deadline
        let d = oracle.dimension
        var running = loops.count
        let info = StepInfo()
        // Targets recorded on the model scale: chain c's θ is copied into `theta` and φ = T(θ)
        // written into `modelPoint` (both allocated once per batch), as `run` does per chain.
        let transform = loops[0].transform
        var theta = [Double](repeating: 0, count: transform == nil ? 0 : d)
        var modelPoint = [Double](repeating: 0, count: transform?.dimension ?? 0)
        for step in 0..<steps {
            rngs.withUnsafeMutableBufferPointer { sampler.step(&batch, oracle: &oracle, rngs: $0) }
            batch.withPositions { x in
                for c in 0..<loops.count where oracle.active[c] {
                    let row = UnsafeBufferPointer(rebasing: x[(c * d)..<((c + 1) * d)])
                    let gradients = oracle.chains[c].perDatumGradientEvaluations
                    let healthy: Bool
                    if let transform {
                        for i in 0..<d { theta[i] = row[i] }
                        healthy = loops[c].advance(step: step, info: info, theta: theta, transform: transform, modelPoint: &modelPoint,
                                                   gradients: gradients)
                    } else {
                        healthy = loops[c].advance(step: step, info: info, position: row, gradients: gradients)
                    }
                    if !healthy {
                        oracle.deactivate(c)
                        running -= 1
                    }
                }
            }
            if running == 0 { break }
            if step & 255 == 255, let deadline, step + 1 < steps, ContinuousClock.now >= deadline {
                for c in 0..<loops.count where oracle.active[c] { loops[c].truncated = true }
                break
            }
        }
    }
}
