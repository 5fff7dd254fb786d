import Foundation

extension ChainLoop {
    /// Runs a batch of chains in lock step (`BatchedSampler`, `state` holding C = `loops.count`
    /// chains): one step for all, then the bookkeeping of every running chain (`advanceBatch`)
    /// — the checks and records `run` gives it alone, bit for bit, with the records kept as one
    /// `BatchRecord`. A chain that diverges stops (its oracle is deactivated, so it is charged
    /// nothing more) while the others go on; the batch ends at the last step, when every chain
    /// has stopped, or at the deadline (the first loop's; every 256 steps), which truncates the
    /// chains still running.
    @inlinable
    public static func runBatch<S: BatchedSampler>(_ sampler: S, _ state: inout S.State, loops: inout [ChainLoop],
                                                   oracle: inout BatchGradientOracle, rngs: inout [Xoshiro256StarStar]) {
        precondition(loops.count == oracle.count && rngs.count == oracle.count, "one loop, oracle and generator per chain")
        let steps = loops[0].steps, deadline = loops[0].deadline
        var recording = BatchRecording(loops, dimension: oracle.dimension)
        var running = loops.count
        for step in 0..<steps {
            rngs.withUnsafeMutableBufferPointer { sampler.step(&state, oracle: &oracle, rngs: $0) }
            running -= state.position.withUnsafeBufferPointer {
                advanceBatch(&loops, step: step, positions: $0, oracle: &oracle, recording: &recording)
            }
            if running == 0 { break }
            if step & 255 == 255, let deadline, step + 1 < steps, ContinuousClock.now >= deadline {
                for c in 0..<loops.count where oracle.active[c] { loops[c].truncated = true }
                break
            }
        }
        recording.finish(into: &loops)
    }

    /// What `advanceBatch` keeps between steps: the chains' records (`BatchRecord`); their
    /// warm-up, divergence bounds and model-scale transform (the same for every chain of a
    /// cell, read once: a `ChainLoop` read from an array is copied whole, through value
    /// witnesses, as it holds a resilient `ContinuousClock.Instant`); and, for targets recorded
    /// on the model scale, chain c's θ copied into `theta` and φ = T(θ) in `modelPoint` and row
    /// c of `modelPoints` (all allocated once per batch).
    public struct BatchRecording {
        var record: BatchRecord
        let warmup: Int
        let bounds: DivergenceBounds
        let transform: ModelScale?
        /// Steps run by every chain still running (set in each chain's loop by `finish`).
        var stepsRun = 0
        var theta: [Double]
        var modelPoint: [Double]
        var modelPoints: [Double]
        /// Per chain: whether its point this step is out of bounds; whether its θ is non-finite.
        var outside: [Bool]
        var nonFinite: [Bool]

        /// The recording of a batch of chains of dimension `dimension` with these loops.
        public init(_ loops: [ChainLoop], dimension: Int) {
            let first = loops[0]
            record = BatchRecord(loops.map(\.record), recordedSteps: first.steps - first.warmup)
            warmup = first.warmup
            bounds = first.bounds
            transform = first.transform
            theta = [Double](repeating: 0, count: first.transform == nil ? 0 : dimension)
            modelPoint = [Double](repeating: 0, count: first.transform?.dimension ?? 0)
            modelPoints = [Double](repeating: 0, count: loops.count * modelPoint.count)
            outside = [Bool](repeating: false, count: loops.count)
            nonFinite = outside
        }

        /// Hands each chain its record (`loops[c].record`) and, to those that did not stop,
        /// the steps they ran.
        public func finish(into loops: inout [ChainLoop]) {
            var records = loops.map(\.record)
            record.finish(into: &records)
            for c in loops.indices {
                loops[c].record = records[c]
                if loops[c].divergenceStep == nil { loops[c].stepsRun = stepsRun }
            }
        }
    }

    /// The bookkeeping of step `step` for every running chain of a batch (`positions`: C × d,
    /// chain-major), as `advance` does per chain: a chain whose recorded point (θ, or φ = T(θ))
    /// is out of bounds, or θ non-finite, diverged there — it stops and its oracle is
    /// deactivated; after the warm-up the others' points are recorded. Returns how many chains
    /// stopped. One call per step for the whole batch, compiled here (not per sampler type).
    public static func advanceBatch(_ loops: inout [ChainLoop], step: Int, positions: UnsafeBufferPointer<Double>,
                                    oracle: inout BatchGradientOracle, recording: inout BatchRecording) -> Int {
        let d = oracle.dimension
        let sampling = step >= recording.warmup
        recording.stepsRun = step + 1
        let anyOutside: Bool
        if let transform = recording.transform {
            // φ = T(θ) of every running chain into its row of modelPoints; a non-finite θ is out.
            let D = recording.modelPoint.count
            for c in 0..<oracle.count where oracle.active[c] {
                let row = UnsafeBufferPointer(rebasing: positions[(c * d)..<((c + 1) * d)])
                for i in 0..<d { recording.theta[i] = row[i] }
                transform.toModel(recording.theta, into: &recording.modelPoint)
                for i in 0..<D { recording.modelPoints[c * D + i] = recording.modelPoint[i] }
                recording.nonFinite[c] = !isFinite(row)
            }
            anyOutside = recording.modelPoints.withUnsafeBufferPointer {
                recording.findOutside($0, dimension: D, bounded: sampling, active: oracle.active)
            }
        } else {
            anyOutside = recording.findOutside(positions, dimension: d, bounded: sampling, active: oracle.active)
        }
        var stopped = 0
        if anyOutside {
            loops.withUnsafeMutableBufferPointer { loops in
                for c in 0..<loops.count where recording.outside[c] {
                    loops[c].stepsRun = step + 1
                    loops[c].divergenceStep = step
                    oracle.deactivate(c)
                    recording.record.stop(c)
                    stopped += 1
                }
            }
        }
        guard sampling, recording.record.isRecording else { return stopped }
        if recording.transform == nil {
            recording.record.record(positions, oracles: oracle.chains)
        } else {
            recording.modelPoints.withUnsafeBufferPointer { recording.record.record($0, oracles: oracle.chains) }
        }
        return stopped
    }
}

extension ChainLoop.BatchRecording {
    /// Sets `outside[c]` for every chain: whether running chain c's recorded point (row c of
    /// `points`, C × `dimension`) is out of the bounds — `DivergenceBounds.exceeded` after the
    /// warm-up, `exceededInWarmup` before — or its θ non-finite (`nonFinite`, model scale only).
    /// Returns whether any chain is out.
    mutating func findOutside(_ points: UnsafeBufferPointer<Double>, dimension D: Int, bounded: Bool, active: [Bool]) -> Bool {
        let bounds = self.bounds, transformed = transform != nil
        return active.withUnsafeBufferPointer { active in
            outside.withUnsafeMutableBufferPointer { outside in
                var any = false
                if bounded {
                    any = bounds.exceeded(rows: points, dimension: D, check: active, into: outside) > 0
                } else {
                    for c in 0..<active.count {
                        outside[c] = active[c] && bounds.exceededInWarmup(UnsafeBufferPointer(rebasing: points[(c * D)..<((c + 1) * D)]))
                        any = any || outside[c]
                    }
                }
                if transformed {
                    for c in 0..<active.count where active[c] && nonFinite[c] { outside[c] = true; any = true }
                }
                return any
            }
        }
    }
}
