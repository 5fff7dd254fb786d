import ArgumentParser
import Foundation
import Workbench

/// `bench reference --target ID`: builds reference draws for a target without a closed form
/// (the BNNs), checks them against posteriordb's bar and caches them under `references/`,
/// where the target loads them from (TARGETS.md, "reference").
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Build, check and cache a target's reference draws.",
        discussion: """
            Runs a full-batch sampler (hmc by default) for --chains chains, thins the draws until \
            every coordinate's lag-1 autocorrelation is below 0.05, and caches them in \
            references/ID/ only if they pass posteriordb's bar: 10 000 draws, ≥ 4 chains, R̂ < 1.01. \
            Draws that fail are refused with the failing numbers (exit 1) and nothing is written.
            Example:
              bench reference --target bnn-uci-yacht
            """)

    @Option(help: "Target id (see `bench list`).") var target: String
    @Option(name: .customLong("target-param"), help: "Target option name=value (repeatable), e.g. split=3.")
    var targetParams: [String] = []
    @Option(help: "Full-batch sampler id (default: hmc).") var sampler: String?
    @Option(name: .customLong("step-size"), help: "Step size h (> 0), the sampler's initial one if it adapts.")
    var stepSize: Double?
    @Option(name: .customLong("param"), help: "Sampler hyperparameter name=value (repeatable).") var params: [String] = []
    @Option(help: "Steps per chain, warm-up included (default: the target's, 20 000 unless it declares more).")
    var steps: Int?
    @Option(help: "Warm-up steps per chain (default: steps / 10).") var warmup: Int?
    @Option(help: "Chains (at least 4 to pass the bar).") var chains: Int = 4
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Record every k-th step; more thinning is added to meet the autocorrelation bar.") var thin: Int = 1

    func run() throws {
        try reportingUserErrors {
            let registry = Bench.registry
            let targetOptions = try parseAssignments(targetParams, option: "--target-param")
            let built = try registry.target(target).make(options: targetOptions).0
            let samplerID: String
            if let sampler {
                samplerID = sampler
            } else if registry.samplers.contains(where: { $0.id == "hmc" }) {
                samplerID = "hmc"
            } else {
                throw WorkbenchError.invalidValue(
                    owner: "bench reference", name: "sampler", value: "(none; hmc is not registered in this build)",
                    accepted: "--sampler ID with a full-batch sampler: " + registry.samplers.map(\.id).joined(separator: ", "))
            }
            let plugin = try registry.sampler(samplerID)
            let stepSize = try StepSizeUse.stepSize(self.stepSize, for: plugin, target: built)
            let settings = ReferenceBuildSettings(
                sampler: samplerID, stepSize: stepSize,
                hyperparameters: try parseAssignments(params, option: "--param"), seed: seed, chains: chains,
                steps: steps, warmup: warmup, thin: thin)
            printError("bench: building the reference of \(target) with \(samplerID): \(chains) chains"
                + (steps.map { " × \($0) steps" } ?? " (the target's default steps)"))
            let start = Date()
            let (metadata, path) = try ReferenceBuilder(registry: registry).build(
                targetID: target, options: targetOptions,
                settings: settings, provenance: .current())
            let seconds = Date().timeIntervalSince(start)
            print("reference \(target): passed posteriordb's bar")
            print("  \(metadata.quality.summary)")
            print("  sampler \(samplerID), \(metadata.stepsBetweenDraws) steps between draws, seed \(seed)")
            print(String(format: "  built in %.1f s (sampling %.1f s)", seconds, metadata.wallSeconds))
            print("wrote \(path)")
        }
    }
}
