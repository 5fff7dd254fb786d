import Foundation

/// Which spec differences `bench compare` accepts between OLD and NEW (docs/RESULTS.md,
/// "Compare exit codes").
///
/// A spec field either selects cells — and then every cell it changes has another key, so a
/// difference shows as configurations or seeds missing on one side, which the comparison
/// reports on its own (`GridComparison.removed`, `seedsRemoved`, …) — or it changes the
/// numbers of cells whose keys stay the same (steps, chains, budgets, warm-up, thinning,
/// max draws, tuning, the wall-time cap). Means over 2 000 steps against means over 200 000
/// are not a regression test, so a difference in a field of the second kind makes the runs
/// not comparable. The accepted fields are listed (the key-selecting ones, plus the
/// description and the diagnostics, which change no number of a metric both runs have); a
/// field added to `GridSpec` later is refused until it is listed here.
extension GridComparison {
    /// Spec fields that may differ between OLD and NEW: each either enters the cell key
    /// (`Cell.key`: sampler, target and its options and noise model, step size, batch size,
    /// batching, start, hyperparameters, seed) or changes no number (`description`,
    /// `diagnostics`: a gated metric missing on one side is already worse).
    public static let specFieldsAllowedToDiffer: Set<String> = [
        "samplers", "targets", "stepSizes", "samplerStepSizes", "variants", "batchSizes", "targetBatchSizes",
        "noise", "targetNoise", "targetOptions", "targetOptionSets", "hyperparameters", "batching", "start", "seeds",
        "description", "diagnostics",
    ]

    /// The fields in which `new` differs from `old` that change the numbers of cells with the
    /// same key, each with its old and new value as compact JSON (`GridSpec.differences(from:)`).
    public static func incomparableDifferences(old: GridSpec, new: GridSpec) throws -> [(field: String, old: String, new: String)] {
        try new.differences(from: old).filter { !specFieldsAllowedToDiffer.contains($0.field) }
    }
}
