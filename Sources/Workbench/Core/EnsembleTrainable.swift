/// A target whose chains can start from a deep ensemble (`StartPoint.ensemble`): what
/// `EnsembleTrainer` needs to train one member — a training loss on minibatches of the train
/// rows, a validation loss for early stopping, an initialisation — and how a trained member
/// becomes a start point on the sampling scale. The BNN regressions with validation rows
/// (`bnn-smile-*`) conform; a target that does not, or has no validation rows, refuses
/// `--start ensemble` before anything runs (`EnsembleTrainer.check`).
///
/// The trained parameters are the first `trainableDimension` coordinates of the sampling
/// scale (a network's weights and biases); `startPoint(fromMember:)` fills in the rest (a
/// BNN's log σ).
public protocol EnsembleTrainable: Target {
    /// Rows in the validation split (0: the target cannot train an ensemble).
    var validationRowCount: Int { get }
    /// How many parameters training moves.
    var trainableDimension: Int { get }
    /// A member's initial parameters, drawn from `rng` (length `trainableDimension`).
    func ensembleInitialParameters(rng: inout Xoshiro256StarStar) -> [Double]
    /// The mean training loss over the train rows `batch` (indices into 0 ..< `dataSize`) at
    /// `parameters`, with its gradient written into `gradient` (length `trainableDimension`).
    func trainingLoss(at parameters: [Double], batch: ArraySlice<Int32>, gradient: inout [Double]) -> Double
    /// The mean loss over the validation rows at `parameters`.
    func validationLoss(at parameters: [Double]) -> Double
    /// The chain start (sampling scale, length `dimension`) of a trained member.
    func startPoint(fromMember parameters: [Double]) -> [Double]
}
