import Foundation

/// One cell's chains stepped by an external sampler's child process (docs/EXTERNAL.md).
///
/// The workbench owns everything but the step rule: it starts the child, sends the
/// configuration and the start points, then answers the child's requests — gradients and log
/// densities through the chains' own oracles (`BatchGradientOracle`: each chain's minibatches
/// from its own generator, every gradient counted as for a built-in sampler) — and takes one
/// record of all chains per step, which it checks and records as `ChainLoop.runBatch` does
/// for a built-in batch (`ChainLoop.advanceBatch`: divergence, warm-up, thinning, the same
/// records). It answers each record with continue or stop.
///
/// Faults are results: a child that cannot start, crashes, hangs past the cell timeout,
/// exits early, sends a malformed frame, a wrong shape, a non-finite position in a request,
/// or spends other gradients than its manifest declares ends the session with an
/// `ExternalSamplerFault` (with the tail of its standard error); the child is killed
/// (its whole process group) and the chains keep what was recorded. Frames go through
/// buffers allocated once per session: nothing is allocated per step on the workbench's side.
struct ExternalSession {
    let sampler: ExternalSampler
    let chains: Int
    let dimension: Int
    /// Frame payloads read from the child (the largest: a record with every statistic).
    var frame: [UInt8]
    /// The reply being built: a 5-byte header and the payload.
    var reply: [UInt8]
    var positions: [Double]
    var gradients: [Double]
    var values: [Double]
    private var scratchPoint: [Double]
    private var scratchGradient: [Double]
    /// Steps recorded so far.
    var step = 0

    init(sampler: ExternalSampler, chains: Int, dimension: Int) {
        self.sampler = sampler
        self.chains = chains
        self.dimension = dimension
        let cd = chains * dimension
        frame = [UInt8](repeating: 0, count: 4 + 8 * cd + 8 * chains * ExternalProtocol.Statistic.allCases.count)
        reply = [UInt8](repeating: 0, count: 9 + chains + 8 * cd + 8 * chains)
        positions = [Double](repeating: 0, count: cd)
        gradients = positions
        values = [Double](repeating: 0, count: chains)
        scratchPoint = [Double](repeating: 0, count: dimension)
        scratchGradient = scratchPoint
    }

    /// A fault in the protocol, before the child's termination and stderr are known.
    struct Stop: Error {
        let reason: String
    }

    /// Runs the chains (`starts`, one loop and generator each, in chain order) to their end;
    /// returns the fault that ended them early, if any. The loops hold the records either way.
    mutating func run(starts: [[Double]], warmup: Int, loops: inout [ChainLoop], oracle: inout BatchGradientOracle,
                      rngs: inout [Xoshiro256StarStar]) -> ExternalSamplerFault? {
        let manifest = sampler.manifest
        let stderrPath: String
        if let folder = sampler.settings.logFolder {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            stderrPath = folder + "/" + (loops[0].logName ?? "\(manifest.id)-\(UUID().uuidString)") + ".stderr"
        } else {
            stderrPath = FileManager.default.temporaryDirectory.path + "/bench-external-\(getpid())-\(UUID().uuidString).stderr"
        }
        // A temporary log goes when the cell ends; a kept one only when the child wrote nothing.
        defer {
            let size = (try? FileManager.default.attributesOfItem(atPath: stderrPath)[.size] as? Int) ?? nil
            if sampler.settings.logFolder == nil || size == 0 { try? FileManager.default.removeItem(atPath: stderrPath) }
        }
        let child: ChildProcess
        do {
            child = try ChildProcess(argv: manifest.argv, directory: manifest.folder, stderrPath: stderrPath)
        } catch {
            return ExternalSamplerFault(sampler: manifest.id, reason: "\(error)", crashed: false, stderrTail: "")
        }
        let deadline = sampler.settings.cellTimeout.map { ContinuousClock.now + .milliseconds(Int64(($0 * 1000).rounded(.up))) }
        var recording = ChainLoop.BatchRecording(loops, dimension: dimension)
        var problem: String?
        do {
            // Chain c's seed: the next 53 bits of its generator, after its start point.
            let seeds = rngs.indices.map { rngs[$0].next() >> 11 }
            try sendConfig(child, starts: starts, warmup: warmup, steps: loops[0].steps, seeds: seeds, oracle: oracle, deadline: deadline)
            try expectReady(child, deadline: deadline)
            let serving = ContinuousClock.now
            try serve(child, loops: &loops, oracle: &oracle, recording: &recording, deadline: deadline)
            ExternalSessionTiming.record(steps: step, duration: serving.duration(to: .now))
            try checkCost(loops: loops, oracle: oracle)
        } catch let stop as Stop {
            problem = stop.reason
        } catch let failure as ChildProcess.Failure {
            problem = describe(failure, child: child, timeout: sampler.settings.cellTimeout)
        } catch {
            problem = "\(error)"
        }
        recording.finish(into: &loops)
        /// The fault, with the child's end, its stderr's tail, and where the whole is kept.
        func fault(_ reason: String, ended: ChildProcess.Termination) -> ExternalSamplerFault {
            var crashed = false
            if case .signalled(let signal) = ended, signal != SIGKILL { crashed = true }
            let size = (try? FileManager.default.attributesOfItem(atPath: stderrPath)[.size] as? Int) ?? nil
            return ExternalSamplerFault(sampler: manifest.id, reason: reason, crashed: crashed, stderrTail: child.stderrTail(),
                                        log: sampler.settings.logFolder != nil && (size ?? 0) > 0 ? stderrPath : nil)
        }
        if let problem { return fault(problem, ended: child.terminate()) }
        child.closeInput()
        let ended = child.finish(grace: .milliseconds(Int64(sampler.settings.exitGrace * 1000)))
        guard ended == .exited(0) else { return fault("the child ended with \(ended) after it was told to stop", ended: ended) }
        return nil
    }

    /// A read or write failure in words: what the child did, at which step.
    private func describe(_ failure: ChildProcess.Failure, child: ChildProcess, timeout: Double?) -> String {
        switch failure {
        case .timedOut:
            return "no answer within the cell timeout (--cell-timeout \(formatNumber(timeout ?? 0)) s) at step \(step): hung; killed"
        case .closed:
            let ended = child.finish(grace: .seconds(2))
            if case .signalled = ended { return "crashed at step \(step): \(ended)" }
            return "the child exited early, at step \(step) of \(sampler.manifest.id)'s run (\(ended))"
        case .system(let code):
            return "pipe error at step \(step): \(String(cString: strerror(code)))"
        }
    }

    /// Serves requests until the child is told to stop.
    private mutating func serve(_ child: ChildProcess, loops: inout [ChainLoop], oracle: inout BatchGradientOracle,
                                recording: inout ChainLoop.BatchRecording, deadline: ContinuousClock.Instant?) throws {
        let d = dimension, cd = chains * dimension
        let steps = loops[0].steps, wallDeadline = loops[0].deadline
        let cost = sampler.manifest.gradientCost.cost.perDatum(batchSize: oracle.chains[0].batchSize, dataSize: oracle.chains[0].dataSize)
        var running = chains
        while true {
            let (length, kind) = try readHeader(child, deadline: deadline)
            switch ExternalProtocol.Kind(rawValue: kind) {
            case .gradient:
                try readPayload(child, length: length, expected: 4 + 8 * cd, what: "gradient", deadline: deadline)
                guard let batch = ExternalProtocol.Batch(rawValue: frame[0]) else {
                    throw Stop(reason: "malformed frame at step \(step): gradient batch \(frame[0]) (accepted: 0 new, 1 same, 2 full)")
                }
                let withDensity = frame[1] & 1 == 1
                try takePositions(at: 4, check: true, oracle: oracle, what: "gradient")
                gradient(batch, oracle: &oracle)
                if withDensity { logDensities(oracle: &oracle) }
                try send(.gradientReply, values: withDensity, child, deadline: deadline)
            case .logDensity:
                try readPayload(child, length: length, expected: 8 * cd, what: "log density", deadline: deadline)
                try takePositions(at: 0, check: true, oracle: oracle, what: "log density")
                logDensities(oracle: &oracle)
                try send(.logDensityReply, gradients: false, values: true, child, deadline: deadline)
            case .record:
                guard length >= 5 else { throw Stop(reason: "wrong shape at step \(step): a record frame of \(length - 1) bytes") }
                try frame.withUnsafeMutableBytes { try child.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<4]), deadline: deadline) }
                let mask = frame[0], next = frame[1], withDensity = frame[2] & 1 == 1
                guard mask & ~0b111 == 0 else { throw Stop(reason: "malformed frame at step \(step): statistics mask \(mask) (bits 0–2 only)") }
                guard next <= 3 else {
                    throw Stop(reason: "malformed frame at step \(step): record's next gradient \(next) (accepted: 0 none, 1 new, 2 same, 3 full)")
                }
                let statistics = mask.nonzeroBitCount
                let count = 8 * cd + 8 * chains * statistics
                guard length - 5 == count else {
                    throw Stop(reason: "wrong shape at step \(step): a record frame of \(length - 1) bytes, expected \(4 + count) "
                        + "(C = \(chains) chains × d = \(d), \(statistics) statistics)")
                }
                try frame.withUnsafeMutableBytes { try child.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[4..<(4 + count)]), deadline: deadline) }
                try takePositions(at: 4, check: false, oracle: oracle, what: "record")
                running -= observeStatistics(mask: mask, loops: &loops, oracle: &oracle, recording: &recording)
                running -= positions.withUnsafeBufferPointer {
                    ChainLoop.advanceBatch(&loops, step: step, positions: $0, oracle: &oracle, recording: &recording)
                }
                step += 1
                var reason = ExternalProtocol.StopReason.none
                for c in 0..<chains where oracle.active[c] && oracle.chains[c].perDatumGradientEvaluations > cost.setup + cost.perStep * step {
                    // Told to stop (budget spent), then failed: it asked for more than it declares.
                    try? sendReply(.recordReply, length: writeVerdict(.budgetSpent, active: oracle.active), child, deadline: deadline)
                    throw Stop(reason: "chain \(c) spent \(oracle.chains[c].perDatumGradientEvaluations) per-datum gradients in \(step) steps; "
                        + "the manifest declares \(sampler.manifest.gradientCost.cost) = \(cost.setup + cost.perStep * step) (budget spent)")
                }
                if step == steps { reason = .stepsDone } else if running == 0 { reason = .allChainsStopped }
                else if let wallDeadline, ContinuousClock.now >= wallDeadline {
                    for c in 0..<chains where oracle.active[c] { loops[c].truncated = true }
                    reason = .wallTime
                }
                var length = writeVerdict(reason, active: oracle.active)
                if reason == .none, next > 0, let batch = ExternalProtocol.Batch(rawValue: next - 1) {
                    // The next step's gradient at the recorded positions: one round trip per step.
                    gradient(batch, oracle: &oracle)
                    if withDensity { logDensities(oracle: &oracle) }
                    length = appendReply(gradients: true, values: withDensity, at: length)
                }
                try sendReply(.recordReply, length: length, child, deadline: deadline)
                if reason != .none { return }
            case .error:
                throw Stop(reason: try readError(child, length: length, deadline: deadline))
            default:
                throw Stop(reason: "malformed frame at step \(step): kind 0x\(String(kind, radix: 16)) (a request is 0x10 gradient, "
                    + "0x12 log density, 0x20 record or 0x30 error)")
            }
        }
    }

    /// Each running chain's gradient of the log density at its row of `positions`, on
    /// `batch`, into `gradients` (a stopped chain's row is 0 and costs nothing).
    private mutating func gradient(_ batch: ExternalProtocol.Batch, oracle: inout BatchGradientOracle) {
        let d = dimension
        switch batch {
        case .new:
            positions.withUnsafeBufferPointer { x in gradients.withUnsafeMutableBufferPointer { oracle.stochasticGradients(at: x, into: $0) } }
        case .same, .full:
            for c in 0..<chains where oracle.active[c] {
                for i in 0..<d { scratchPoint[i] = positions[c * d + i] }
                if batch == .same {
                    oracle.chains[c].gradientOnCurrentBatch(at: scratchPoint, into: &scratchGradient)
                } else {
                    oracle.chains[c].fullGradient(at: scratchPoint, into: &scratchGradient)
                }
                for i in 0..<d { gradients[c * d + i] = scratchGradient[i] }
            }
        }
        // ∇log π = −∇U; a stopped chain's row is zero.
        for c in 0..<chains {
            let active = oracle.active[c]
            for i in (c * d)..<((c + 1) * d) { gradients[i] = active ? -gradients[i] : 0 }
        }
    }

    /// Each running chain's log density (all data, up to a constant: −U) into `values`;
    /// NaN for a stopped chain. Counted as potential evaluations, as a Metropolis test's.
    private mutating func logDensities(oracle: inout BatchGradientOracle) {
        let d = dimension
        for c in 0..<chains {
            guard oracle.active[c] else { values[c] = .nan; continue }
            for i in 0..<d { scratchPoint[i] = positions[c * d + i] }
            values[c] = -oracle.chains[c].potential(at: scratchPoint)
        }
    }

    /// The statistics of a record (after its positions in `frame`), observed into each running
    /// chain's record; a chain the sampler says diverged stops there. Returns how many stopped.
    private func observeStatistics(mask: UInt8, loops: inout [ChainLoop], oracle: inout BatchGradientOracle,
                                   recording: inout ChainLoop.BatchRecording) -> Int {
        guard mask != 0 else { return 0 }
        var stopped = 0
        let base = 4 + 8 * chains * dimension
        frame.withUnsafeBytes { bytes in
            for c in 0..<chains where oracle.active[c] {
                var info = StepInfo(), slot = 0
                for statistic in ExternalProtocol.Statistic.allCases where mask & statistic.bit != 0 {
                    let value = bytes.loadUnaligned(fromByteOffset: base + 8 * (slot * chains + c), as: Double.self)
                    slot += 1
                    switch statistic {
                    case .acceptanceRate: info.acceptance = value
                    case .energyError: info.energyError = value
                    case .isDivergent: info.diverged = value != 0
                    }
                }
                if info.reportsOutcome { loops[c].record.observe(info) }
                if info.diverged {
                    loops[c].stepsRun = step + 1
                    loops[c].divergenceStep = step
                    oracle.deactivate(c)
                    recording.record.stop(c)
                    stopped += 1
                }
            }
        }
        return stopped
    }

    /// After the run: every chain's counted gradients against the manifest's declaration for
    /// the steps it ran (what the conformance kit checks for a built-in sampler).
    private func checkCost(loops: [ChainLoop], oracle: BatchGradientOracle) throws {
        let cost = sampler.manifest.gradientCost.cost.perDatum(batchSize: oracle.chains[0].batchSize, dataSize: oracle.chains[0].dataSize)
        for c in 0..<chains {
            let ran = loops[c].divergenceStep.map { $0 + 1 } ?? step
            let declared = cost.setup + cost.perStep * ran, counted = oracle.chains[c].perDatumGradientEvaluations
            if counted != declared {
                throw Stop(reason: "gradient cost mismatch on chain \(c): the manifest declares \(sampler.manifest.gradientCost.cost) = "
                    + "\(declared) per-datum gradients for \(ran) steps (n = \(oracle.chains[0].batchSize), N = \(oracle.chains[0].dataSize)); "
                    + "the oracle counted \(counted)")
            }
        }
    }
}
