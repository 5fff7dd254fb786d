import Workbench

/// Named grid specs (`bench grid --preset NAME`). Flags given with the preset override its
/// fields.
public enum GridPresets {
    /// `quick`: every sampler on every target at four step sizes and two seeds, 20 000 steps
    /// per chain — the README's main job and CI's smoke grid (seconds in a release build). The
    /// step sizes straddle SGLD's stability limit on `gaussian-illcond`
    /// (h < 2 c_min² = 0.02), so the report shows bias growing with h and divergence beyond it.
    public static let quick = GridSpec(
        samplers: ["all"], targets: ["all"], stepSizes: [0.003, 0.01, 0.03, 0.1],
        seeds: [1, 2], chains: 4, steps: 20_000, maxDrawsPerChain: 2_000)

    public static let all: [String: GridSpec] = ["quick": quick]

    /// The preset called `name`; an unknown name is an error listing the presets.
    public static func named(_ name: String) throws -> GridSpec {
        guard let spec = all[name] else {
            throw WorkbenchError.unknownID(kind: "preset", id: name, accepted: all.keys.sorted())
        }
        return spec
    }
}
