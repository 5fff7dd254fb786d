import Workbench

/// The command line's one answer to "does this sampler use a step size?", for `run`,
/// `reference` and `grid`: a step size given to a sampler without one is never dropped
/// silently — it is an error when it is not a number > 0, and otherwise a one-line note that it
/// is ignored (so one command line can loop over samplers). A sampler with a step size and
/// none given is an error.
enum StepSizeUse {
    /// The step size a `run` or `reference` cell of `plugin` gets from `--step-size`; prints
    /// the note, or throws the error, described above.
    static func stepSize(_ given: Double?, for plugin: SamplerPlugin, command: String) throws -> Double? {
        if plugin.usesStepSize {
            guard let given else {
                throw WorkbenchError.invalidValue(
                    owner: "sampler \(plugin.id)", name: "step size", value: "none", accepted: "--step-size H with H > 0")
            }
            return given
        }
        if let given {
            if !(given.isFinite && given > 0) {
                throw WorkbenchError.invalidValue(owner: command, name: "--step-size", value: "\(given)", accepted: "a number > 0")
            }
            printError("bench: note: sampler \(plugin.id) has no step size to set (it draws exactly or adapts its own in the "
                + "warm-up); --step-size \(given) is ignored")
        }
        return nil
    }

    /// `bench grid --step-sizes`: the note naming the selected samplers that have no step size
    /// (they run one cell per seed without one), or nil when every sampler uses it.
    static func gridNote(samplerIDs: [String], registry: Registry) throws -> String? {
        let without = try samplerIDs.filter { try !registry.sampler($0).usesStepSize }
        guard !without.isEmpty else { return nil }
        return "bench: note: \(without.joined(separator: ", ")) \(without.count == 1 ? "has" : "have") no step size to set; "
            + "--step-sizes applies to the other samplers"
    }
}
