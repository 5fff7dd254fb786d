import Workbench

/// The network of a BNN target (TARGETS.md: width, depth, activation and prior scale
/// configurable), a group of its options. `init()` is the network of `bnn-uci-*` and
/// `bnn-classify`: 1 hidden layer of 50 tanh units, N(0, 1) prior.
struct BNNNetworkOptions: ParameterSet {
    @Integer(in: 1...4096, help: "hidden units per layer") var width = 50
    @Integer(in: 1...16, help: "hidden layers") var depth = 1
    @Choice(help: "hidden-layer activation") var activation = MLP.Activation.tanh
    @Real(in: 1e-6...1e6, help: "σ_p of the N(0, σ_p²) prior on every weight and bias") var priorScale = 1.0

    init() {}

    /// The same declarations with other defaults (the SMILE network).
    init(width: Int, depth: Int, activation: MLP.Activation) {
        (self.width, self.depth, self.activation) = (width, depth, activation)
    }

    /// The MLP of this architecture from `inputs` features to `outputs` values.
    func mlp(inputs: Int, outputs: Int) -> MLP {
        MLP(inputs: inputs, hidden: [Int](repeating: width, count: depth), outputs: outputs, activation: activation)
    }
}

extension MLP.Activation: ParameterChoice {}

/// Where the chains of a BNN target start (`--start target`): one shared point, or one per chain.
enum BNNStart: String, ParameterChoice {
    case shared, random
}

/// The start of a BNN target's chains, a group of its options: `init` and `init-seed`.
struct BNNStartOptions: ParameterSet {
    @Choice(name: "init", help: "chain starts: one LeCun-normal point from init-seed for every chain (shared), or one per chain (random)")
    var start = BNNStart.shared
    @Integer(in: 0...1_000_000_000_000_000, help: "seed of the shared start") var initSeed = 0

    init() {}

    /// The same declarations with `init` explained by `help`.
    init(help: String) {
        _start = Choice(wrappedValue: .shared, name: "init", help: help)
    }

    /// The shared start of target `id` with network `mlp`: LeCun-normal weights drawn from
    /// `init-seed`; nil when every chain starts on its own (`random`).
    func sharedWeights(of mlp: MLP, targetID id: String) -> [Double]? {
        guard start == .shared else { return nil }
        var rng = Xoshiro256StarStar(seed: UInt64(initSeed), stream: "bnn-init/\(id)", index: 0)
        return mlp.initialWeights(rng: &rng)
    }
}

/// The options of the BNN targets on the 20 standard splits of UCI data (`bnn-uci-*`,
/// `bnn-classify`): the split, the network and the start.
struct UCIBNNOptions: ParameterSet {
    @Integer(in: 0...19, help: "which of the 20 standard train/test splits") var split = 0
    var network = BNNNetworkOptions()
    var start = BNNStartOptions()

    init() {}
}
