import Foundation
import Workbench

/// Named grid specs (`bench grid --preset NAME`). Flags given with the preset override its
/// fields.
public enum GridPresets {
    /// `quick`: every sampler on every target whose gradient costs microseconds — the analytic
    /// targets and the posteriordb ones (`quickTargets`) — under the tuning protocol
    /// (`TuningSpec`): per pair a 3-point sweep over a span of 30 around the sampler's scaled
    /// default step size on one seed, the lowest-b² rule, then 2 final seeds at the chosen step
    /// size; 4 chains per cell, a budget of 5 000 full-gradient equivalents per chain for each
    /// sweep cell and 10 000 for each final cell (so `sgld` on a target without data runs
    /// 10 000 steps, full-batch `hmc` with L = 10 leapfrog steps 1 000 iterations). The README's
    /// main job and CI's smoke grid; minutes on 2 cores in a release build (BENCHMARKS.md,
    /// "Preset run times").
    ///
    /// Two gradient conditions, because stochastic-gradient samplers are about gradient noise:
    /// - exact gradients: the analytic targets at `noise=none`, eight schools and sblri on all
    ///   their data;
    /// - minibatch gradients: the analytic targets with `noise=isotropic` — i.i.d. batches of
    ///   n = 256 of N = 10 000 synthetic data at the SMILE code's noise level (`noise-scale` 1,
    ///   sd ≈ 16 per coordinate, TARGETS.md), `gaussian-illcond` aside — and sblri on i.i.d.
    ///   minibatches of 10 of its 100 rows. A minibatch gradient of the d = 100 targets sums
    ///   256 data vectors (about 12 µs against 1 µs exact), so isotropic noise only, and not on
    ///   `gaussian-illcond` (whose exact-gradient chains do not converge at this budget
    ///   either: R̂ 3–4.5), keep the main job within twice its exact-gradient time;
    ///   `seed-000` runs every noise model on `gaussian-illcond`. The synthetic N is
    ///   arbitrary (the noise level does not depend on it), so the isotropic cells' budget is
    ///   scaled by n/N = 0.0256 (`noiseBudgetScale`): they make as many gradient calls as the
    ///   exact-gradient cells (full-batch samplers — mala, hmc, mclmc — see no noise there and
    ///   keep the full budget: their cells repeat the exact condition's, as a reference). sblri's minibatch cells spend the same full-gradient equivalents
    ///   as its full-batch ones (ten times the steps): there N is real data. The SMILE
    ///   samplers, whose only momentum refresh is the gradient noise, run in this condition only.
    ///
    /// The BNN targets are left out by default: a full BNN gradient costs
    /// 0.3–1.6 ms (`bench gradient-cost`), so the full-batch samplers alone would take hours on
    /// them at this size; run them by name, or the `paper` preset.
    /// `sgrld-shampoo` refreshes its matrix powers every 100 steps here instead of 10: on the
    /// d = 100 targets each refresh is a 100 × 100 symmetric eigendecomposition (≈ 1.5 ms), which
    /// at the default would make Shampoo alone cost as much as all the others.
    public static let quick = GridSpec(
        samplers: ["all"], targets: quickTargets, stepSizes: [], noise: ["none", "isotropic"], seeds: [1, 2], chains: 4,
        steps: 10_000, maxDrawsPerChain: 500, hyperparameters: ["sgrld-shampoo": ["refresh": .number(100)]],
        gradientBudget: 10_000, tuning: TuningSpec(points: 3, span: 30, budget: 5_000, seed: 1_000),
        budgetScale: Dictionary(uniqueKeysWithValues: bnnTargets.map { ($0, 0.02) }),
        noiseBudgetScale: ["isotropic": 0.0256], targetBatchSizes: ["sblri": [.targetDefault, .given(.size(10))]],
        targetNoise: ["gaussian-illcond": ["none"]])

    /// `known-answers`: the gate of `bench known-answers` (baselines/known-answers.json) —
    /// every sampler on the three targets whose answer is known in closed form and that every
    /// sampler can run (`std-normal-1d`, `gaussian-iso` at d = 100, `gaussian-corr-2d`), with
    /// exact gradients, under the quick grid's tuning protocol (3-point sweep over a span of
    /// 30, lowest b², extended until it brackets) on sweeps of 20 000 and one final seed of
    /// 100 000 full-gradient equivalents per chain, 4 chains: ten times the quick budget, and
    /// ten times that on `gaussian-corr-2d` (its correlation 0.99 makes the chains of a step
    /// size small enough for low bias mix slowly: sgld at its tuned h had bulk-ESS 261 and R̂
    /// 1.022 at 10⁵), long enough that a correct sampler at its tuned step size is healthy (`CellHealth` ok: R̂ ≤ 1.01, bulk- and tail-ESS
    /// ≥ 100 per chain) and its b² is within the file's bound. Only the diagnostics health and
    /// b² read. `sgrld-shampoo` refreshes every 100 steps as in `quick`.
    public static let knownAnswers = GridSpec(
        samplers: ["all"], targets: ["std-normal-1d", "gaussian-iso", "gaussian-corr-2d"], stepSizes: [],
        noise: ["none"], seeds: [1], chains: 4, steps: 100_000, maxDrawsPerChain: 2_000,
        hyperparameters: ["sgrld-shampoo": ["refresh": .number(100)]],
        diagnostics: ["moments", "ess", "ess-per-gradient", "stability"], gradientBudget: 100_000,
        tuning: TuningSpec(points: 3, span: 30, budget: 20_000, seed: 1_000),
        budgetScale: ["gaussian-corr-2d": 10],
        description: """
            known-answers: every sampler on std-normal-1d, gaussian-iso (d = 100) and gaussian-corr-2d with \
            exact gradients, tuned as in quick, one final seed at ten times quick's budget; checked by \
            `bench known-answers` against baselines/known-answers.json (health ok and b² within its bound, \
            or a listed known failure).
            """)

    /// The BNN targets, whose full gradients cost milliseconds.
    public static let bnnTargets = ["bnn-uci-yacht", "bnn-uci-energy", "bnn-uci-concrete", "bnn-classify"]

    /// `paper`: the full study — every sampler on every target, BNNs included (each target at
    /// its default options; the BNNs' `noise` option is their likelihood's, not a gradient-noise
    /// model, so the `noise` axis is left to the command line), under the tuning protocol with a 7-point sweep
    /// over a span of 100 (one seed, 20 000 full-gradient equivalents per chain), the
    /// lowest-b² rule, then 5 final seeds at 50 000 full-gradient equivalents per chain,
    /// 4 chains each. Not run in CI: `bench grid --preset paper --dry-run` prints its cells and
    /// gradients, and the README estimates its wall time; run it sharded (`--shard K/N`).
    public static let paper = GridSpec(
        samplers: ["all"], targets: ["all"], stepSizes: [],
        seeds: [1, 2, 3, 4, 5], chains: 4, steps: 50_000, maxDrawsPerChain: 10_000,
        hyperparameters: ["sgrld-shampoo": ["refresh": .number(100)]],
        gradientBudget: 50_000, tuning: TuningSpec(points: 7, span: 100, budget: 20_000, seed: 1_000))

    /// `seed-001`: the experiment of arXiv 2403.08609 (Convergence of Locally Adaptive
    /// Samplers) — every sampler of the Langevin family on `std-normal-1d`, one chain of 10⁷
    /// steps at h = 1e−4 with full-batch gradients (10 % warm-up), as the paper runs it. Each
    /// cell's result keeps the histogram of θ (bin width 0.1) and, for samplers that declare
    /// one, the predicted stationary density, which the report draws against the target's.
    ///
    /// Seconds in a release build (`.build/release/bench grid --preset seed-001 --out DIR`;
    /// BENCHMARKS.md, "Preset run times"), the Γ-corrected samplers the slowest (they spend
    /// second-order queries every step); a debug build is about ten times slower. One chain of 10⁷ steps at h = 1e−4 spans 10³ time units, so the
    /// variances carry a Monte Carlo error of several percent; `--chains 4` halves it in four
    /// times the time.
    public static let seed001 = GridSpec(
        samplers: [
            "sgld", "sgld-cv", "psgld", "psgld-gamma", "adam-sgld", "asgld", "fsgld",
            "sgrld-monge", "sgrld-monge-gamma", "sgrld-shampoo", "cyclical-sgld",
        ],
        targets: ["std-normal-1d"], stepSizes: [1e-4], batchSizes: [.full], seeds: [1], chains: 1,
        steps: 10_000_000, maxDrawsPerChain: 10_000)

    /// The targets of `quick`: every built-in but the BNNs.
    public static let quickTargets = [
        "std-normal-1d", "gaussian-iso", "gaussian-illcond", "gaussian-corr-2d", "funnel", "banana",
        "eight-schools-noncentered", "eight-schools-centered", "sblri",
    ]

    /// `seed-000`: the SMILE experiment (arXiv 2602.06500) on the workbench's own
    /// terms — the tuned samplers: `sg-mclmc`, `smile`, `smile-precond`, `sghmc`, `sgld` and
    /// full-batch `mclmc` on `gaussian-illcond` (d = 100, κ = 100) under each gradient-noise
    /// model, three seeds of two chains, on an equal budget of 2 000 full-gradient equivalents
    /// per chain, warm-up included (`gradientBudget`: a minibatch step of n = 256 of N = 10 000
    /// costs 0.0256 per gradient, so `sgld` runs 78 125 steps, the two-gradient microcanonical
    /// samplers 39 062, full-batch `mclmc` 1 000). With `noise = none` the target has no data
    /// (N = 1) and every gradient is a full one. Minibatches are i.i.d. (the default), and the
    /// noise is the SMILE code's level at n = 256 (`noise-scale` 1, TARGETS.md). The report
    /// plots b² against gradient evaluations per sampler and noise model. Step sizes: `sgld`
    /// h = 0.005 (stable below 2c_min² = 0.02), `sghmc` h = √η = 0.05, `sg-mclmc` ε = 0.1, and
    /// 0.1 as the initial ε of `smile`/`smile-precond`, which tune it; `mclmc` tunes its own.
    /// This is not the paper's figure: `seed-000-analytical` is.
    ///
    /// With `noise = none` the SMILE samplers are declined (their only momentum refresh is the
    /// gradient noise; SAMPLERS.md) and the pair is listed as skipped. Fixed defect (issue 29):
    /// `smile-precond`'s reset test rejected almost every step under minibatch noise here
    /// (19 694 and 38 969 resets in 39 062 steps under isotropic and anisotropic noise): the
    /// SMILE code's regularised Wilson–Hilferty law went negative; `EnergyErrorLaw` replaces it.
    public static let seed000 = GridSpec(
        samplers: ["sg-mclmc", "smile", "smile-precond", "sghmc", "sgld", "mclmc"],
        targets: ["gaussian-illcond"], stepSizes: [0.1],
        noise: ["none", "isotropic", "anisotropic", "correlated"],
        seeds: [1, 2, 3], chains: 2, steps: 10_000, maxDrawsPerChain: 2_000,
        samplerStepSizes: ["sgld": [0.005], "sghmc": [0.05]], gradientBudget: 2_000,
        description: """
            seed-000: the SMILE samplers with their step-size tuners (smile, smile-precond) beside \
            sg-mclmc, sghmc, sgld and full-batch mclmc on the d = 100 ill-conditioned Gaussian, on \
            an equal gradient budget; i.i.d. minibatches of 256 of N = 10 000, noise at the SMILE \
            code's level. The workbench's own comparison, not the paper's figure (that is the \
            seed-000-analytical preset). With exact gradients (noise none) the SMILE samplers are \
            declined: their only momentum refresh is the gradient noise.
            """)

    /// `seed-000-analytical`: the analytic experiment of the SMILE paper (arXiv 2602.06500),
    /// set up as the authors' public code runs it (EmanuelSommer/SMILE, `analytical/`:
    /// `run_experiments.py`, `samplers.py`, `inference_models.py`, `analysis.py`, configs
    /// `scripts/analytical/{mclmc,pmclmc}/icg_*.json`): plain and noise-preconditioned
    /// SG-MCLMC at fixed ε (`sg-mclmc`, `precond=none|noise`, L = 1000) on the ill-conditioned
    /// Gaussian with d = 10, κ = 100 (scales logspace(−1, 1, 10)), N = 409 600 synthetic data,
    /// i.i.d. minibatches of 256, noise ∈ {isotropic, anisotropic, correlated,
    /// spatially_varied} at the authors' level (`noise-scale` 1: minibatch noise covariance
    /// 256·S·(N − n)/(N − 1), TARGETS.md); chains start at 0, no warm-up; 15 log-spaced ε in
    /// [1e−3, 1e−1] (the plain sampler under correlated and spatially varied noise in
    /// [1e−5, 1e−3], as the authors' configs); 10⁶ steps; 7 replications (7 chains of one
    /// cell: independent streams); metric `chain-b2`'s b² of x² per chain after thinning by 10,
    /// mean ± sd over the replications, which the report plots against ε per noise type.
    ///
    /// Deviations from the authors' setup: the rotation Q of Σ is a Haar rotation from the
    /// workbench's generator (the authors' is the QR of numpy's `default_rng(1)` normals), and
    /// so are the data (numpy's `default_rng(0)`), the batches and the momenta; float64 instead
    /// of float32; the plain sampler does not spend the preconditioner's gradient, which the
    /// authors' code computes and discards; the start gradient is taken on a random batch (the
    /// authors': the first 256 data); only the 10⁶-step runs (the authors also run 100 steps);
    /// chains that turn non-finite stop as diverged (the authors' code has no such check).
    public static let seed000Analytical = analytical(steps: 1_000_000, replications: 7, name: "seed-000-analytical")

    /// `seed-000-analytical-quick`: `seed-000-analytical` with 10⁵ steps and 3 replications,
    /// minutes with `--jobs 2` on 2 cores (BENCHMARKS.md, "Preset run times"). At this length
    /// b² is mostly Monte Carlo error: preconditioning shows its effect under anisotropic
    /// noise, but single points of the figure can miss it (the full preset's 10⁶ steps and 7
    /// replications are the paper's).
    public static let seed000AnalyticalQuick = analytical(steps: 100_000, replications: 3, name: "seed-000-analytical-quick")

    /// The analytic grid of the SMILE paper (arXiv 2602.06500) with `steps` per chain and
    /// `replications` chains per cell.
    static func analytical(steps: Int, replications: Int, name: String) -> GridSpec {
        let low = logspace(-5, -3, 15), high = logspace(-3, -1, 15)
        return GridSpec(
            samplers: ["sg-mclmc"], targets: ["gaussian-illcond"], stepSizes: high, batchSizes: [.size(256)],
            noise: ["isotropic", "anisotropic", "correlated", "spatially_varied"],
            seeds: [1], chains: replications, steps: steps, warmup: 0, thin: 10, maxDrawsPerChain: steps / 10,
            hyperparameters: ["sg-mclmc": ["L": .number(1000)]],
            targetOptions: ["gaussian-illcond": ["dimension": .number(10), "data-size": .number(409_600)]],
            diagnostics: ["moments", "chain-b2", "stability"],
            batching: .iid, start: .zero,
            variants: ["sg-mclmc": [
                SamplerVariant(hyperparameters: ["precond": .text("none")],
                               stepSizesByNoise: ["correlated": low, "spatially_varied": low]),
                SamplerVariant(hyperparameters: ["precond": .text("noise")]),
            ]],
            description: """
                \(name): the analytic benchmark of seed 000 (SMILE, arXiv 2602.06500) as the authors' \
                code runs it: plain vs noise-preconditioned SG-MCLMC at fixed step size (L = 1000) on \
                the d = 10, kappa = 100 rotated Gaussian, N = 409 600, i.i.d. batches of 256, start at 0, \
                no warm-up, \(steps) steps, \(replications) replications (chains); metric: b² of x² per \
                chain, thinned by 10, mean ± sd. Deviations: own Haar rotation, data, batches and \
                momenta (not numpy's streams); float64; the plain sampler skips the unused \
                preconditioner gradient; start gradient on a random batch\(steps < 1_000_000 ? "; fewer steps and replications than the paper's 10⁶ and 7" : "").
                """)
    }

    /// n numbers from 10^a to 10^b, evenly spaced in the exponent (numpy's `logspace`).
    static func logspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        (0..<n).map { Foundation.pow(10, a + (b - a) * Double($0) / Double(n - 1)) }
    }

    public static let all: [String: GridSpec] = [
        "quick": quick, "known-answers": knownAnswers, "paper": paper, "seed-000": seed000, "seed-001": seed001,
        "seed-000-analytical": seed000Analytical, "seed-000-analytical-quick": seed000AnalyticalQuick,
        "seed-000-uci": seed000UCI, "seed-000-uci-quick": seed000UCIQuick,
    ]

    /// The preset called `name`; an unknown name is an error listing the presets.
    public static func named(_ name: String) throws -> GridSpec {
        guard let spec = all[name] else {
            throw WorkbenchError.unknownID(kind: "preset", id: name, accepted: all.keys.sorted())
        }
        return spec
    }
}
