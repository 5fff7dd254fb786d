import ArgumentParser
import Foundation
import Workbench

/// `--external FILE` (repeatable) and `--cell-timeout S`, the options `run`, `grid`, `list`
/// and `run-cell` share: each FILE is a sampler manifest (docs/EXTERNAL.md) whose id then
/// works wherever a sampler id does (`--samplers all` included).
struct ExternalOptions: ParsableArguments {
    @Option(name: .customLong("external"),
            help: ArgumentHelp("A sampler manifest, NAME.sampler.json or .yaml (repeatable): an external sampler run as a child process (docs/EXTERNAL.md).", valueName: "file"))
    var manifests: [String] = []
    @Option(name: .customLong("cell-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Seconds an external sampler's child may take for its cell; past it the child is killed and the cell fails (default: no limit).", valueName: "seconds"))
    var cellTimeout: Double?
    /// Internal: the folder each external cell's child keeps its stderr in (a grid's
    /// `DIR/logs`, passed to `bench run-cell` children).
    @Option(name: .customLong("external-logs"), help: .hidden) var logFolder: String?

    /// The settings external samplers' children run with (`logFolder` unless the option gives one).
    func settings(logFolder: String? = nil) throws -> ExternalSettings {
        if let cellTimeout, !(cellTimeout.isFinite && cellTimeout > 0) {
            throw WorkbenchError.invalidValue(owner: "bench", name: "--cell-timeout", value: "\(cellTimeout)", accepted: "a number of seconds > 0")
        }
        return ExternalSettings(cellTimeout: cellTimeout, logFolder: self.logFolder ?? logFolder)
    }

    /// Adds the manifests to `Bench.registry`, and those `recorded` by a grid spec whose ids
    /// no `--external` gives (a Slurm task's or a resumed shard's spec names its manifests);
    /// their children keep their stderr in `logFolder` (a grid's `DIR/logs`).
    func register(recorded: [String: ExternalSamplerIdentity] = [:], logFolder: String? = nil) throws {
        try Self.register(manifests, recorded: recorded, settings: try settings(logFolder: logFolder))
    }

    /// Adds `manifests` and the `recorded` ones no manifest gives to `Bench.registry`.
    static func register(_ manifests: [String], recorded: [String: ExternalSamplerIdentity], settings: ExternalSettings) throws {
        var plugins = try manifests.map { try SamplerPlugin.external(ExternalManifest.load($0), settings: settings) }
        for (id, identity) in recorded.sorted(by: { $0.key < $1.key }) where !plugins.contains(where: { $0.id == id }) {
            let manifest = try ExternalManifest.load(identity.manifest)
            guard manifest.id == id else {
                throw WorkbenchError.unsupported(
                    "the spec records external sampler \(id) in \(identity.manifest), whose manifest now names \(manifest.id)")
            }
            plugins.append(try SamplerPlugin.external(manifest, settings: settings))
        }
        if !plugins.isEmpty { Bench.registry = try Bench.registry + plugins }
    }

    /// What a `bench run-cell` child needs to see the same external samplers.
    static func childArguments(registry: Registry, cellTimeout: Double?, logFolder: String?) -> [String] {
        registry.samplers.compactMap(\.external).flatMap { ["--external", $0.path] }
            + (cellTimeout.map { ["--cell-timeout", "\($0)"] } ?? []) + (logFolder.map { ["--external-logs", $0] } ?? [])
    }

    /// `grid` with the identities of the external samplers it runs (`GridSpec.externalSamplers`).
    /// An identity the spec already records for an id must match the sampler's files now: a
    /// changed sampler is refused (a resume or shard of a grid measures one sampler).
    static func recordIdentities(in grid: GridSpec, registry: Registry) throws -> GridSpec {
        var grid = grid
        let used = Set(try registry.samplerIDs(grid.samplers))
        var identities: [String: ExternalSamplerIdentity] = [:]
        for plugin in registry.samplers where used.contains(plugin.id) {
            guard let manifest = plugin.external else { continue }
            let now = try manifest.identity()
            if let recorded = grid.externalSamplers[plugin.id], recorded != now {
                throw WorkbenchError.invalidValue(
                    owner: "bench grid", name: "external sampler \(plugin.id)",
                    value: "\(now.manifest) with sha256 \(now.sha256.prefix(16))…",
                    accepted: "the sampler the spec records, \(recorded.manifest) with sha256 \(recorded.sha256.prefix(16))… "
                        + "(its manifest, command files or listed files changed; run the grid afresh in a new folder)")
            }
            identities[plugin.id] = now
        }
        grid.externalSamplers = identities
        return grid
    }
}
