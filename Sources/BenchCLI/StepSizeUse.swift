import Workbench

/// The command line's use of a sampler's `StepSizePolicy`, for `run`, `reference` and `grid`:
/// a step size given to a sampler without one is never dropped silently (a one-line note), an
/// adapting sampler without one starts from its default (a note), and a sampler with a fixed
/// step size and none given is an error; a given step size that is not a number > 0 is an error.
enum StepSizeUse {
    /// The step size a `run` or `reference` cell of `plugin` on `target` gets from
    /// `--step-size`; prints the note, or throws the error, described above.
    static func stepSize(_ given: Double?, for plugin: SamplerPlugin, target: any Target) throws -> Double? {
        let (h, note) = try plugin.stepSizePolicy.resolve(given, sampler: plugin.id, target: target)
        if let note { printError("bench: note: \(note)") }
        return h
    }

    /// `bench grid --step-sizes`: the note naming the selected samplers that the grid's step
    /// sizes do not reach — those without one, and those that adapt theirs from their default
    /// (unless step sizes are named for them) — or nil when every sampler uses them.
    static func gridNote(samplerIDs: [String], registry: Registry) throws -> String? {
        let policies = try samplerIDs.map { ($0, try registry.sampler($0).stepSizePolicy) }
        let none = policies.filter { !$0.1.usesStepSize }.map(\.0)
        let adapting = policies.filter { $0.1.adapts }.map(\.0)
        var parts: [String] = []
        if !none.isEmpty { parts.append("\(none.joined(separator: ", ")) \(none.count == 1 ? "has" : "have") no step size to set") }
        if !adapting.isEmpty {
            parts.append("\(adapting.joined(separator: ", ")) \(adapting.count == 1 ? "adapts its" : "adapt their") own from "
                + "\(adapting.count == 1 ? "its" : "their") default")
        }
        guard !parts.isEmpty else { return nil }
        return "bench: note: " + parts.joined(separator: "; ") + "; --step-sizes applies to the other samplers"
    }
}
