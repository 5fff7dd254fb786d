import Foundation

/// Trains one deep-ensemble member for `StartPoint.ensemble`, as the SMILE code's warm start
/// does (EmanuelSommer/SMILE, commit 8a54636: `BDETrainer.train_de_member` in
/// `src/training/trainer.py`, `earlystop` in `src/training/utils.py`, the settings of
/// `scripts/experiment_configs/uci_benchmarks/`): AdamW (`AdamW`, learning rate 0.01, decoupled
/// weight decay 0.005) on minibatches of 64 training rows, at most 200 epochs, early stopping
/// with patience 10 on the validation loss.
///
/// One epoch: the train rows in a fresh random order (from the member's generator), cut into
/// ⌊N/64⌋ batches of 64 (the incomplete remainder is dropped, as their loader drops it), one
/// AdamW step per batch on the target's mean training loss (`EnsembleTrainable`); then the
/// validation loss. The best parameters so far (strictly lower validation loss) are kept.
/// Stopping (their `earlystop`): after epoch k ≥ `patience`, stop when each of the last
/// `patience` validation losses is ≥ the loss `patience + 1` epochs back (the first epoch's
/// when k = `patience`, where their index clamps), or all of them are NaN. A member that
/// stopped early returns its best parameters; one that ran all epochs returns its last (their
/// code restores the best only `if jnp.any(_stop_n)`).
///
/// Deviation from their code: each epoch permutes all N training rows. Theirs permutes only
/// the first 64·⌊N/64⌋ rows of the train split (`arange(n_batches · batch_size)` in
/// `BaseLoader._iter`), so the last N mod 64 rows never enter training.
///
/// Deterministic: a member depends only on the target and its generator (`generator(…)`:
/// the cell's seed, the target and its options, the member's index — not the sampler, so every
/// sampler on a target and seed starts from the same ensemble), whatever the thread count.
/// Its cost, per-datum training gradients (64 per step), is reported on its own
/// (`ensemble-gradient-evaluations`), not charged to the sampler.
public struct EnsembleTrainer: Sendable {
    public var learningRate = 0.01
    public var weightDecay = 0.005
    public var batchSize = 64
    public var maxEpochs = 200
    public var patience = 10

    public init() {}

    /// A trained member.
    public struct Member: Sendable {
        /// The trained parameters (length `trainableDimension`).
        public let parameters: [Double]
        /// The chain start made from them (`EnsembleTrainable.startPoint(fromMember:)`).
        public let start: [Double]
        /// Epochs run, and whether early stopping ended training.
        public let epochs: Int
        public let stoppedEarly: Bool
        /// The validation loss after each epoch.
        public let validationLosses: [Double]
        /// Per-datum gradient evaluations spent (batch rows summed over steps).
        public let perDatumGradientEvaluations: Int
    }

    /// The generator of member `index` for a cell: (seed, "ensemble|target|options", index).
    public static func generator(seed: UInt64, target: String, options: [String: ParameterValue], index: Int) -> Xoshiro256StarStar {
        let pairs = options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
        return Xoshiro256StarStar(seed: seed, stream: "ensemble|\(target)|\(pairs)", index: index)
    }

    /// The trainable view of `target`, or an error naming it when it cannot start from an
    /// ensemble (not `EnsembleTrainable`, or no validation rows).
    public static func check(_ target: any Target) throws -> any EnsembleTrainable {
        guard let trainable = target as? any EnsembleTrainable, trainable.validationRowCount > 0 else {
            throw WorkbenchError.unsupported(
                "target '\(target.id)' cannot start from a deep ensemble (--start ensemble): it has no validation split to train one"
                + " with early stopping; targets that can: the bnn-smile-* regressions")
        }
        return trainable
    }

    /// Trains one member from `rng`.
    public func train(_ target: some EnsembleTrainable, rng: inout Xoshiro256StarStar) -> Member {
        var parameters = target.ensembleInitialParameters(rng: &rng)
        var optimiser = AdamW(dimension: parameters.count, learningRate: learningRate, weightDecay: weightDecay)
        var gradient = [Double](repeating: 0, count: parameters.count)
        let n = target.dataSize, b = min(batchSize, n), batches = n / b
        var order = (0..<n).map { Int32($0) }
        var best = parameters, bestLoss = Double.infinity
        var losses: [Double] = []
        var stopped = false, perDatum = 0
        for _ in 0..<maxEpochs {
            for i in stride(from: n - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            for k in 0..<batches {
                _ = target.trainingLoss(at: parameters, batch: order[(k * b)..<((k + 1) * b)], gradient: &gradient)
                optimiser.step(&parameters, gradient: gradient)
                perDatum += b
            }
            let loss = target.validationLoss(at: parameters)
            losses.append(loss)
            if loss < bestLoss {
                bestLoss = loss
                best = parameters
            }
            if Self.shouldStop(losses, patience: patience) {
                stopped = true
                break
            }
        }
        let final = stopped ? best : parameters
        return Member(parameters: final, start: target.startPoint(fromMember: final), epochs: losses.count,
                      stoppedEarly: stopped, validationLosses: losses, perDatumGradientEvaluations: perDatum)
    }

    /// Their `earlystop` for one member: after at least `patience` losses, stop when the last
    /// `patience` are all ≥ the one before them (index clamped to the first), or all NaN.
    public static func shouldStop(_ losses: [Double], patience: Int) -> Bool {
        let k = losses.count
        guard k >= patience, patience > 0 else { return false }
        let recent = losses[(k - patience)...]
        if recent.allSatisfy(\.isNaN) { return true }
        let reference = losses[max(k - patience - 1, 0)]
        return recent.allSatisfy { $0 >= reference }
    }
}
