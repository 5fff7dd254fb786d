/// The per-plugin settings of a spec — `hyperparameters`, `variants`, `targetOptions`,
/// `targetOptionSets`, from a file or from `--param` / `--target-param` — checked against
/// the declared parameters (`ParameterSpec`) of the plugin they name, whether or not the
/// grid selects it: a misspelt `sghmc.frictoin=1` or `funnel.dimensoin=abc` for a plugin
/// outside `--samplers` / `--targets` would otherwise pass silently and still change the
/// spec's identity hash. Names and values are checked as `ResolvedParameters` checks them
/// (an unknown name with the closest declared one suggested, a value outside its domain);
/// what only a built target can check (its factory's own rules) waits until it is built.
extension GridSpec {
    func checkPluginSettings(registry: Registry) throws {
        for (id, given) in hyperparameters.sorted(by: { $0.key < $1.key }) {
            let plugin = try registry.sampler(id)
            _ = try ResolvedParameters(given, specs: plugin.hyperparameters, owner: "sampler \(id)")
        }
        for (id, list) in variants.sorted(by: { $0.key < $1.key }) {
            let plugin = try registry.sampler(id)
            for variant in list {
                let given = (hyperparameters[id] ?? [:]).merging(variant.hyperparameters) { $1 }
                _ = try ResolvedParameters(given, specs: plugin.hyperparameters, owner: "sampler \(id)")
            }
        }
        for (id, options) in targetOptions.sorted(by: { $0.key < $1.key }) {
            _ = try ResolvedParameters(options, specs: try registry.target(id).parameters, owner: "target \(id)")
        }
        for (id, sets) in targetOptionSets.sorted(by: { $0.key < $1.key }) {
            let plugin = try registry.target(id)
            for set in sets {
                let given = (targetOptions[id] ?? [:]).merging(set) { $1 }
                _ = try ResolvedParameters(given, specs: plugin.parameters, owner: "target \(id)")
            }
        }
    }
}
