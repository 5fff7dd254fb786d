#!/usr/bin/env python3
"""The SGLD workloads of `bench perf` in BlackJAX, side by side with the Swift numbers.

Runs, in BlackJAX (JAX, float64, jit + lax.scan, one CPU device):
  1. SGLD on the 1-D standard normal, full batch, h = 1e-4: ns per step (the running sums of
     x and x² are carried, as the Swift runner records moments);
  2. one SGLD step on the yacht-sized MLP (UCI yacht split 0, 6 -> 50 -> 50 -> 1 tanh, learned
     noise, N(0, 1) prior, minibatches of 32): µs per step;
  3. the gradient of the wide MLP (64 inputs, 2 x 512 tanh, batch 256, synthetic data):
     GFLOP/s of its matrix products (the FLOP count `bench perf` uses);
then runs `.build/release/bench perf --only steps,bnn --json` (or reads --swift-json) and
prints both with the ratio BlackJAX / Swift (> 1: Swift is faster).

    python3 benchmarks/peers/blackjax_sgld.py --install   # pip install blackjax jax first
    python3 benchmarks/peers/blackjax_sgld.py --repetitions 5

Medians over repetitions, compilation excluded (one untimed warm-up call). Not part of CI.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--install", action="store_true", help="pip install blackjax jax (into this Python) first")
    parser.add_argument("--repetitions", type=int, default=5, help="timed repetitions per workload (median reported)")
    parser.add_argument("--steps-1d", type=int, default=10_000_000, help="steps of the 1-D Gaussian run")
    parser.add_argument("--steps-mlp", type=int, default=20_000, help="steps of the yacht-sized MLP run")
    parser.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "bench"), help="the Swift bench binary")
    parser.add_argument("--swift-json", help="read `bench perf --json` output from this file instead of running it")
    parser.add_argument("--skip-swift", action="store_true", help="only run BlackJAX")
    arguments = parser.parse_args()
    if arguments.repetitions < 1:
        parser.error(f"invalid --repetitions '{arguments.repetitions}'; accepted: a whole number >= 1")
    return arguments


def median_time(function, repetitions):
    function()  # compile and warm up
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def gaussian_1d(steps, repetitions):
    import jax
    import jax.numpy as jnp
    import blackjax

    sgld = blackjax.sgld(lambda x, batch: -x)  # ∇ log N(0, 1)
    h = 1e-4

    @jax.jit
    def run(key):
        def body(carry, key):
            x, s1, s2 = carry
            x = sgld.step(key, x, None, h)
            return (x, s1 + x, s2 + x * x), None

        keys = jax.random.split(key, steps)
        (x, s1, s2), _ = jax.lax.scan(body, (jnp.float64(2.0), 0.0, 0.0), keys)
        return x, s1, s2

    key = jax.random.PRNGKey(1)
    med, lo, hi = median_time(lambda: jax.block_until_ready(run(key)), repetitions)
    return {"median": med / steps * 1e9, "min": lo / steps * 1e9, "max": hi / steps * 1e9, "unit": "ns/step"}


def load_yacht():
    import numpy as np

    folder = os.path.join(ROOT, "data", "uci", "yacht")
    data = np.loadtxt(os.path.join(folder, "data.txt"))
    features = np.loadtxt(os.path.join(folder, "index_features.txt"), dtype=int)
    target = int(np.loadtxt(os.path.join(folder, "index_target.txt")))
    train = np.loadtxt(os.path.join(folder, "index_train_0.txt"), dtype=int)
    x, y = data[train][:, features], data[train, target]
    sd = x.std(axis=0)
    sd[sd == 0] = 1
    return (x - x.mean(axis=0)) / sd, (y - y.mean()) / y.std()


def mlp_init(key, widths):
    import jax
    import jax.numpy as jnp

    params = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        key, sub = jax.random.split(key)
        params.append((jax.random.normal(sub, (fan_in, fan_out)) / jnp.sqrt(fan_in), jnp.zeros(fan_out)))
    return {"layers": params, "log_sigma": jnp.float64(0.0)}


def mlp_apply(params, x):
    import jax.numpy as jnp

    for w, b in params["layers"][:-1]:
        x = jnp.tanh(x @ w + b)
    w, b = params["layers"][-1]
    return (x @ w + b)[:, 0]


def regression_grad_estimator(data_size):
    """∇ log posterior on a minibatch, sum-scale (N/n), as `bench`'s BNN regression."""
    import jax
    import jax.numpy as jnp

    def log_density(params, batch):
        x, y = batch
        prior = -0.5 * sum(jnp.sum(w * w) + jnp.sum(b * b) for w, b in params["layers"])
        s = params["log_sigma"]
        sigma = jnp.exp(s)
        prior += -0.5 * sigma * sigma + s  # half-normal(0, 1) on σ with the log-Jacobian
        residual = y - mlp_apply(params, x)
        likelihood = jnp.sum(-s - 0.5 * residual * residual / (sigma * sigma))
        return prior + data_size / x.shape[0] * likelihood

    return jax.grad(log_density)


def yacht_mlp(steps, repetitions):
    import jax
    import jax.numpy as jnp
    import blackjax

    x, y = load_yacht()
    x, y = jnp.asarray(x), jnp.asarray(y)
    n = x.shape[0]
    sgld = blackjax.sgld(regression_grad_estimator(n))
    params = mlp_init(jax.random.PRNGKey(0), [x.shape[1], 50, 50, 1])
    h = 1e-5

    @jax.jit
    def run(key):
        def body(params, key):
            batch_key, step_key = jax.random.split(key)
            rows = jax.random.choice(batch_key, n, (32,), replace=False)
            return sgld.step(step_key, params, (x[rows], y[rows]), h), None

        final, _ = jax.lax.scan(body, params, jax.random.split(key, steps))
        return final

    key = jax.random.PRNGKey(2)
    med, lo, hi = median_time(lambda: jax.block_until_ready(run(key)), repetitions)
    return {"median": med / steps * 1e6, "min": lo / steps * 1e6, "max": hi / steps * 1e6, "unit": "µs/step"}


def wide_mlp(repetitions, calls=200):
    import jax
    import jax.numpy as jnp

    widths = [64, 512, 512, 1]
    rows, batch = 4096, 256
    key = jax.random.PRNGKey(3)
    x = jax.random.normal(key, (rows, widths[0]))
    y = jnp.sin(x.sum(axis=1) / 8.0)
    grad = regression_grad_estimator(rows)
    params = mlp_init(jax.random.PRNGKey(4), widths)

    @jax.jit
    def run(key):
        def body(total, key):
            rows_ = jax.random.choice(key, x.shape[0], (batch,), replace=False)
            g = grad(params, (x[rows_], y[rows_]))
            # Use every leaf, or XLA drops the parts of the gradient nobody reads.
            return total + sum(jnp.sum(leaf) for leaf in jax.tree_util.tree_leaves(g)), None

        total, _ = jax.lax.scan(body, 0.0, jax.random.split(key, calls))
        return total

    products = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    propagated = sum(a * b for a, b in zip(widths[1:-1], widths[2:]))
    flops = 2 * batch * (2 * products + propagated)
    med, lo, hi = median_time(lambda: jax.block_until_ready(run(key)), repetitions)
    return {"median": flops * calls / med * 1e-9, "min": flops * calls / hi * 1e-9, "max": flops * calls / lo * 1e-9,
            "unit": "GFLOP/s"}


def swift_numbers(arguments):
    if arguments.swift_json:
        with open(arguments.swift_json) as handle:
            report = json.load(handle)
    else:
        command = [arguments.bench, "perf", "--only", "steps,bnn", "--json", "--repetitions", str(arguments.repetitions)]
        print("running", " ".join(command), file=sys.stderr)
        report = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    rows = {row["key"]: row for row in report["rows"]}

    def median(key):
        values = sorted(rows[key]["summary"]["values"])
        return statistics.median(values)

    return {"1d": median("sgld/std-normal-1d"), "yacht": median("sgld/yacht-2x50"), "wide": median("wide-mlp/gflops"),
            "peak": median("dgemm")}


def import_blackjax(script, install):
    """JAX and BlackJAX, installed first with pip when `install`, with float64 turned on; exits
    with a one-line message naming `script` when they are not installed."""
    if install:
        subprocess.run([sys.executable, "-m", "pip", "install", "blackjax", "jax"], check=True)
    try:
        import jax
        import blackjax
    except ImportError:
        sys.exit(f"{script}: BlackJAX is not installed; run it with --install (pip install blackjax jax)")
    jax.config.update("jax_enable_x64", True)
    return jax, blackjax


def main():
    arguments = parse_arguments()
    jax, blackjax = import_blackjax("blackjax_sgld.py", arguments.install)
    print(f"BlackJAX {blackjax.__version__}, JAX {jax.__version__}, devices {jax.devices()}", file=sys.stderr)
    peer = {
        "1d": gaussian_1d(arguments.steps_1d, arguments.repetitions),
        "yacht": yacht_mlp(arguments.steps_mlp, arguments.repetitions),
        "wide": wide_mlp(arguments.repetitions),
    }
    swift = None if arguments.skip_swift else swift_numbers(arguments)
    labels = {"1d": "SGLD, 1-D Gaussian, full batch", "yacht": "SGLD step, yacht-sized MLP (2 x 50 tanh, batch 32)",
              "wide": "wide MLP gradient (64 -> 2 x 512 tanh, batch 256)"}
    print(f"{'workload':52} {'BlackJAX':>12} {'Swift':>12} {'unit':>9} {'BlackJAX/Swift':>15}")
    for key in ["1d", "yacht", "wide"]:
        value, unit = peer[key]["median"], peer[key]["unit"]
        if swift is None:
            print(f"{labels[key]:52} {value:12.3f} {'':>12} {unit:>9}")
            continue
        # Time: ratio peer/Swift (how many times faster Swift is); rate: Swift/peer likewise.
        ratio = value / swift[key] if unit != "GFLOP/s" else swift[key] / value
        print(f"{labels[key]:52} {value:12.3f} {swift[key]:12.3f} {unit:>9} {ratio:14.1f}x")
    if swift is not None:
        print(f"(dgemm peak in the Swift run: {swift['peak']:.1f} GFLOP/s; the ratio is how many times faster Swift is)")


if __name__ == "__main__":
    main()
