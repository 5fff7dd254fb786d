import Testing
@testable import Workbench

@Suite struct ParameterTests {
    let specs = [
        ParameterSpec("alpha", default: 0.99, in: 0...1, "decay"),
        ParameterSpec("every", default: 10, in: 1...1000, integral: true, "refresh period"),
        ParameterSpec("noise", default: "none", choices: ["none", "isotropic"], "model"),
    ]

    @Test func defaultsFillIn() throws {
        let p = try ResolvedParameters(["alpha": .number(0.5)], specs: specs, owner: "sampler s")
        #expect(p.values == ["alpha": .number(0.5), "every": .number(10), "noise": .text("none")])
    }

    @Test func invalidValuesNameOwnerParameterAndDomain() {
        #expect(throws: WorkbenchError.invalidValue(owner: "sampler s", name: "parameter alpha", value: "-1",
                                                    accepted: "a number in [0, 1]")) {
            try ResolvedParameters(["alpha": .number(-1)], specs: specs, owner: "sampler s")
        }
        #expect(throws: WorkbenchError.self) { try ResolvedParameters(["every": .number(2.5)], specs: specs, owner: "s") }
        #expect(throws: WorkbenchError.self) { try ResolvedParameters(["noise": .text("loud")], specs: specs, owner: "s") }
        #expect(throws: WorkbenchError.self) { try ResolvedParameters(["alpha": .number(.nan)], specs: specs, owner: "s") }
        #expect(throws: WorkbenchError.unknownID(kind: "parameter of s", id: "alpah", accepted: ["alpha", "every", "noise"])) {
            try ResolvedParameters(["alpah": .number(0.5)], specs: specs, owner: "s")
        }
    }

    /// Open ends: a λ that must be > 0 and a decay that must be < 1.
    @Test func openEndsAreExcludedAndShown() throws {
        let lambda = ParameterSpec("lambda", default: 0.1, in: 0...1e6, open: .lower, "λ")
        let decay = ParameterSpec("beta", default: 0.9, in: 0...1, open: .upper, "β")
        #expect(lambda.acceptedDescription == "a number in (0, 1000000.0]")
        #expect(decay.acceptedDescription == "a number in [0, 1)")
        #expect(throws: WorkbenchError.invalidValue(owner: "sampler s", name: "parameter lambda", value: "0",
                                                    accepted: "a number in (0, 1000000.0]")) {
            try lambda.validate(.number(0), owner: "sampler s")
        }
        #expect(throws: WorkbenchError.self) { try decay.validate(.number(1), owner: "sampler s") }
        #expect(try decay.validate(.number(0), owner: "s") == .number(0))
        #expect(try lambda.validate(.number(1e-12), owner: "s") == .number(1e-12))
    }

    @Test func assignmentsParse() throws {
        let parsed = try parseAssignments(["alpha=0.5", "noise=isotropic"], option: "--param")
        #expect(parsed == ["alpha": .number(0.5), "noise": .text("isotropic")])
        #expect(throws: WorkbenchError.self) { try parseAssignments(["alpha"], option: "--param") }
    }

    @Test func closestMatchFindsTyposOnly() {
        #expect(closestMatch(to: "sgdl", in: ["sgld", "exact"]) == "sgld")
        #expect(closestMatch(to: "hamiltonian", in: ["sgld", "exact"]) == nil)
    }
}

/// A typed set as a plugin declares one: every wrapper, an explicit name, a group, an alias.
private enum Coupling: String, ParameterChoice {
    case none, paperRule = "paper-rule"
    static let aliases: [String: Coupling] = ["paper": .paperRule]
}

private struct NoiseGroup: ParameterSet {
    @Real(in: 0...1e6, open: .lower, help: "scale") var noiseScale = 1.0
    @Integer(in: 0...1_000_000_000, help: "seed") var dataSeed = 0
    init() {}
}

private struct TypedSet: ParameterSet {
    @Real(in: 0...1, help: "decay") var scheduleDecay = 0.25
    @Real(name: "A", in: 0...10, help: "friction") var friction = 1.0
    @Choice(help: "coupling rule") var coupling = Coupling.none
    var noise = NoiseGroup()
    @Integer(in: 1...1000, help: "probes") var probes = 3
    init() {}
}

@Suite struct ParameterSetTests {
    @Test func declarationsFollowThePropertiesInOrder() {
        let specs = TypedSet.declarations
        #expect(specs.map(\.name) == ["schedule-decay", "A", "coupling", "noise-scale", "data-seed", "probes"])
        #expect(specs.map(\.defaultValue) == [.number(0.25), .number(1), .text("none"), .number(1), .number(0), .number(3)])
        #expect(specs[2].acceptedDescription == "one of none, paper-rule")
        #expect(specs[3].acceptedDescription == "a number in (0, 1000000.0]")
        #expect(specs[5].acceptedDescription == "a whole number in [1, 1000]")
        #expect(specs[1].summary == "friction")
    }

    @Test func resolvedValuesDecodeIntoTheTypedProperties() throws {
        let given: [String: ParameterValue] = ["A": .number(2.5), "coupling": .text("paper"), "data-seed": .number(7),
                                               "probes": .text("12")]
        let resolved = try ResolvedParameters(given, specs: TypedSet.declarations, owner: "sampler s")
        #expect(resolved.values["coupling"] == .text("paper-rule"))  // the alias, resolved to its case
        let set = try TypedSet(resolved: resolved)
        #expect(set.scheduleDecay == 0.25 && set.friction == 2.5 && set.coupling == .paperRule)
        #expect(set.noise.noiseScale == 1 && set.noise.dataSeed == 7 && set.probes == 12)
    }

    /// What a target keys its cached reference by: the decoded values under their declared
    /// names (the explicit `A` included), the same as the resolved ones.
    @Test func aDecodedSetGivesBackItsResolvedValues() throws {
        let given: [String: ParameterValue] = ["A": .number(2.5), "coupling": .text("paper"), "data-seed": .number(7)]
        let resolved = try ResolvedParameters(given, specs: TypedSet.declarations, owner: "sampler s")
        #expect(try TypedSet(resolved: resolved).parameterValues == resolved.values)
        #expect(TypedSet().parameterValues == Dictionary(uniqueKeysWithValues: TypedSet.declarations.map { ($0.name, $0.defaultValue) }))
    }

    @Test func aMissingResolvedValueIsAnError() {
        #expect(throws: WorkbenchError.self) { try TypedSet(resolved: ResolvedParameters()) }
    }

    @Test func aSetWithoutParametersDeclaresNone() throws {
        #expect(NoParameters.declarations.isEmpty)
        _ = try NoParameters(resolved: ResolvedParameters([:], specs: [], owner: "target t"))
    }
}

@Suite struct SharedChoiceTests {
    /// Both Γ samplers take the one `hessian` type; psgld-gamma's earlier spelling still resolves.
    @Test func hutchinsonIsAnAliasOfFiniteDifference() throws {
        let specs = [ParameterSpec("hessian", default: "auto", choices: ["auto", "finite-difference"],
                                   aliases: GradientOracle.SecondOrderMethod.aliases.mapValues(\.rawValue), "h")]
        let resolved = try ResolvedParameters(["hessian": .text("hutchinson")], specs: specs, owner: "sampler s")
        #expect(resolved.values["hessian"] == .text("finite-difference"))
        #expect(specs[0].acceptedDescription == "one of auto, finite-difference")
    }
}
