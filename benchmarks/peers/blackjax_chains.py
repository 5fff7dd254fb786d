#!/usr/bin/env python3
"""BlackJAX SGLD with the chains vmapped: the peer of `bench perf --only chains`.

Runs, in BlackJAX (JAX, float64, one CPU device), one jit-compiled lax.scan whose step is
jax.vmap of blackjax.sgld's step over the chain axis, at each chain count of --chains:
  1. std-normal-1d: SGLD on the 1-D standard normal, full batch, h = 1e-4, carrying per-chain
     running sums of x and x²: ns per chain-step;
  2. gaussian-iso: SGLD on N(0, I_100), full batch, h = 0.01, carrying per-chain running sums
     of x and x²: µs per chain-step;
  3. yacht-2x50: SGLD on the yacht-sized MLP of blackjax_sgld.py (UCI yacht split 0,
     6 -> 50 -> 50 -> 1 tanh, learned noise, N(0, 1) prior, h = 1e-5), each chain drawing its
     own minibatch of 32 per step: µs per chain-step; with --shared-minibatch also the
     variant where all chains of a step share one minibatch (key suffix "/shared").
Cost per chain-step = time of one run / (steps x chains). Each run is compiled and run once
untimed, then timed --repetitions times (median, min, max).

    python3 benchmarks/peers/blackjax_chains.py --install        # pip install blackjax jax first
    python3 benchmarks/peers/blackjax_chains.py --json chains.json
    python3 benchmarks/peers/blackjax_chains.py --swift-json swift.json   # side by side

--swift-json reads `bench perf --only chains --json` output and prints the ratio
BlackJAX / Swift for the keys present in both (> 1: Swift is faster). Not part of CI.
"""
import argparse
import datetime
import json
import math
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blackjax_sgld import import_blackjax, load_yacht, median_time, mlp_init, regression_grad_estimator  # noqa: E402

DEFAULT_CHAINS = "1,8,64"
# Steps per run, by chain count, so that one timed run takes about 1-3 s on a 2-core machine.
DEFAULT_STEPS_1D = "1:2000000,8:1000000,64:500000"
DEFAULT_STEPS_ISO = "1:500000,8:150000,64:20000"
DEFAULT_STEPS_MLP = "1:10000,8:2000,64:300"
BATCH = 32
UNIT_SCALE = {"ns": 1e9, "µs": 1e6, "us": 1e6, "ms": 1e3, "s": 1.0}


def parse_chain_counts(text):
    """'1,8,64' -> [1, 8, 64]; raises ValueError naming the bad entry."""
    counts = []
    for entry in text.split(","):
        entry = entry.strip()
        if not entry.isdigit() or int(entry) < 1:
            raise ValueError(f"invalid chain count '{entry}' in '{text}'; accepted: whole numbers >= 1 "
                             f"separated by commas, e.g. {DEFAULT_CHAINS}")
        if int(entry) not in counts:
            counts.append(int(entry))
    return counts


def parse_steps(text, option):
    """'N' (every chain count) or 'C:N,C:N,...' -> {chains: steps} (key None for 'N')."""
    def positive(entry):
        if not entry.strip().isdigit() or int(entry) < 1:
            raise ValueError(f"invalid {option} entry '{entry.strip()}' in '{text}'; accepted: a whole number >= 1, "
                             f"or chains:steps pairs separated by commas, e.g. {DEFAULT_STEPS_1D}")
        return int(entry)

    if ":" not in text:
        return {None: positive(text)}
    table = {}
    for pair in text.split(","):
        chains, _, steps = pair.partition(":")
        table[positive(chains)] = positive(steps)
    return table


def steps_for(table, chains):
    """Steps for a chain count: its entry, else the nearest listed count's scaled by √(listed / chains)."""
    if None in table:
        return table[None]
    if chains in table:
        return table[chains]
    nearest = min(table, key=lambda listed: abs(math.log(listed / chains)))
    return max(1, round(table[nearest] * math.sqrt(nearest / chains)))


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--install", action="store_true", help="pip install blackjax jax (into this Python) first")
    parser.add_argument("--chains", default=DEFAULT_CHAINS, help=f"chain counts (default {DEFAULT_CHAINS})")
    parser.add_argument("--repetitions", type=int, default=5, help="timed runs per row (median reported)")
    parser.add_argument("--steps-1d", default=DEFAULT_STEPS_1D,
                        help="steps per run of std-normal-1d: N, or chains:N pairs (default %(default)s); "
                             "an unlisted chain count takes the nearest listed one's, scaled by √(listed/chains)")
    parser.add_argument("--steps-iso", default=DEFAULT_STEPS_ISO, help="steps per run of gaussian-iso (default %(default)s)")
    parser.add_argument("--steps-mlp", default=DEFAULT_STEPS_MLP, help="steps per run of yacht-2x50 (default %(default)s)")
    parser.add_argument("--shared-minibatch", action="store_true",
                        help="also time yacht-2x50 with one minibatch shared by the chains of a step (key .../shared)")
    parser.add_argument("--only", default="std-normal-1d,gaussian-iso,yacht-2x50",
                        help="workloads to run, comma-separated (default %(default)s)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON to FILE")
    parser.add_argument("--swift-json", metavar="FILE", help="`bench perf --only chains --json` output to compare with")
    arguments = parser.parse_args()
    if arguments.repetitions < 1:
        parser.error(f"invalid --repetitions '{arguments.repetitions}'; accepted: a whole number >= 1")
    try:
        arguments.chains = parse_chain_counts(arguments.chains)
        arguments.steps = {
            "std-normal-1d": parse_steps(arguments.steps_1d, "--steps-1d"),
            "gaussian-iso": parse_steps(arguments.steps_iso, "--steps-iso"),
            "yacht-2x50": parse_steps(arguments.steps_mlp, "--steps-mlp"),
        }
    except ValueError as error:
        parser.error(str(error))
    arguments.only = [name.strip() for name in arguments.only.split(",")]
    unknown = [name for name in arguments.only if name not in arguments.steps]
    if unknown:
        parser.error(f"invalid --only '{','.join(unknown)}'; accepted: {', '.join(arguments.steps)}")
    return arguments


def gaussian_run(chains, steps, shape, h):
    """A jitted run(key) of `steps` SGLD steps of `chains` chains on N(0, I) with positions of `shape`.

    Carries per-chain running sums of x and x² (as the Swift runner records moments).
    """
    import jax
    import jax.numpy as jnp
    import blackjax

    sgld = blackjax.sgld(lambda x, batch: -x)  # ∇ log N(0, I)
    step = jax.vmap(lambda key, x: sgld.step(key, x, None, h))
    start = jnp.full((chains,) + shape, 2.0)

    @jax.jit
    def run(key):
        def body(carry, key):
            x, s1, s2 = carry
            x = step(jax.random.split(key, chains), x)
            return (x, s1 + x, s2 + x * x), None

        zeros = jnp.zeros_like(start)
        carry, _ = jax.lax.scan(body, (start, zeros, zeros), jax.random.split(key, steps))
        return carry

    return run


def yacht_run(chains, steps, shared, h=1e-5):
    """A jitted run(key) of `steps` SGLD steps of `chains` chains on the yacht-sized MLP.

    Each chain draws its own minibatch of 32 rows per step (jax.random.choice without
    replacement, vmapped over per-chain keys), or with `shared` one minibatch per step serves
    every chain. The chains start from different random initialisations.
    """
    import jax
    import jax.numpy as jnp
    import blackjax

    x, y = load_yacht()
    x, y = jnp.asarray(x), jnp.asarray(y)
    n = x.shape[0]
    sgld = blackjax.sgld(regression_grad_estimator(n))
    widths = [x.shape[1], 50, 50, 1]
    start = jax.vmap(lambda key: mlp_init(key, widths))(jax.random.split(jax.random.PRNGKey(0), chains))

    def minibatch(key):
        rows = jax.random.choice(key, n, (BATCH,), replace=False)
        return x[rows], y[rows]

    def own_batch_step(key, params):
        batch_key, step_key = jax.random.split(key)
        return sgld.step(step_key, params, minibatch(batch_key), h)

    own_batch_steps = jax.vmap(own_batch_step)
    shared_batch_steps = jax.vmap(lambda key, params, batch: sgld.step(key, params, batch, h), in_axes=(0, 0, None))

    @jax.jit
    def run(key):
        def body(params, key):
            if shared:
                batch_key, chains_key = jax.random.split(key)
                return shared_batch_steps(jax.random.split(chains_key, chains), params, minibatch(batch_key)), None
            return own_batch_steps(jax.random.split(key, chains), params), None

        final, _ = jax.lax.scan(body, start, jax.random.split(key, steps))
        return final

    return run


def time_row(key, label, unit, run, steps, chains, repetitions):
    """Times run(PRNGKey) (one untimed compile-and-warm-up call) and returns a row per chain-step."""
    import jax

    prng_key = jax.random.PRNGKey(1)
    med, lo, hi = median_time(lambda: jax.block_until_ready(run(prng_key)), repetitions)
    scale = UNIT_SCALE[unit.split("/")[0]] / (steps * chains)
    return {"key": key, "label": label, "unit": unit, "median": med * scale, "min": lo * scale, "max": hi * scale,
            "steps": steps, "chains": chains}


def measure(arguments):
    """All rows, workload by workload, chain count by chain count."""
    rows = []
    for chains in arguments.chains:
        if "std-normal-1d" in arguments.only:
            steps = steps_for(arguments.steps["std-normal-1d"], chains)
            rows.append(time_row(f"chains/sgld/std-normal-1d/{chains}", f"SGLD, 1-D Gaussian, full batch, {plural(chains)}",
                                 "ns/chain-step", gaussian_run(chains, steps, (), 1e-4), steps, chains,
                                 arguments.repetitions))
            report_progress(rows[-1])
        if "gaussian-iso" in arguments.only:
            steps = steps_for(arguments.steps["gaussian-iso"], chains)
            rows.append(time_row(f"chains/sgld/gaussian-iso/{chains}", f"SGLD, N(0, I_100), full batch, {plural(chains)}",
                                 "µs/chain-step", gaussian_run(chains, steps, (100,), 0.01), steps, chains,
                                 arguments.repetitions))
            report_progress(rows[-1])
        if "yacht-2x50" in arguments.only:
            steps = steps_for(arguments.steps["yacht-2x50"], chains)
            variants = [False, True] if arguments.shared_minibatch else [False]
            for shared in variants:
                key = f"chains/sgld/yacht-2x50/{chains}" + ("/shared" if shared else "")
                batches = "one shared minibatch" if shared else "own minibatches"
                rows.append(time_row(key, f"SGLD, yacht-sized MLP, batch 32, {plural(chains)}, {batches}",
                                     "µs/chain-step", yacht_run(chains, steps, shared), steps, chains,
                                     arguments.repetitions))
                report_progress(rows[-1])
    return rows


def plural(chains):
    return f"{chains} chain" if chains == 1 else f"{chains} chains"


def report_progress(row):
    print(f"{row['key']}: {row['median']:.4g} {row['unit']} ({row['steps']} steps)", file=sys.stderr)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def swift_rows(path):
    """{key: (median, unit)} from `bench perf --json` output (summary.values, or a plain median)."""
    with open(path) as handle:
        report = json.load(handle)
    rows = {}
    for row in report.get("rows", []):
        if "summary" in row:
            values = sorted(float(value) for value in row["summary"]["values"])
            middle = len(values) // 2
            median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        else:
            median = float(row["median"])
        rows[row["key"]] = (median, row.get("unit", ""))
    return rows


def in_unit(value, unit, target):
    """value in `unit` converted to `target` when both are <prefix>/<same thing>, else None."""
    prefix, _, per = unit.partition("/")
    target_prefix, _, target_per = target.partition("/")
    if per != target_per or prefix not in UNIT_SCALE or target_prefix not in UNIT_SCALE:
        return None
    return value / UNIT_SCALE[prefix] * UNIT_SCALE[target_prefix]


def swift_value(swift, row):
    """(None, the Swift median in the row's unit), or (why there is none, None)."""
    if row["key"] not in swift:
        return "no Swift row", None
    value, unit = swift[row["key"]]
    converted = in_unit(value, unit or row["unit"], row["unit"])
    if converted is None:
        return f"Swift unit '{unit}' not comparable", None
    if not converted > 0 or math.isinf(converted):
        return f"Swift value {value}", None
    return None, converted


def print_table(rows, swift):
    if swift is None:
        print(f"{'key':36} {'median':>10} {'min':>10} {'max':>10} {'unit':>14} {'steps':>9}")
        for row in rows:
            print(f"{row['key']:36} {row['median']:10.4g} {row['min']:10.4g} {row['max']:10.4g} {row['unit']:>14} "
                  f"{row['steps']:9d}")
        return
    print(f"{'key':36} {'BlackJAX':>10} {'Swift':>10} {'unit':>14} {'BlackJAX/Swift':>15}")
    for row in rows:
        note, value = swift_value(swift, row)
        if note:
            print(f"{row['key']:36} {row['median']:10.4g} {'':>10} {row['unit']:>14} {note:>15}")
            continue
        print(f"{row['key']:36} {row['median']:10.4g} {value:10.4g} {row['unit']:>14} {row['median'] / value:14.2f}x")
    print("(the ratio is how many times faster Swift is per chain-step)")


def main():
    arguments = parse_arguments()
    jax, blackjax = import_blackjax("blackjax_chains.py", arguments.install)
    load = load_average()
    print(f"BlackJAX {blackjax.__version__}, JAX {jax.__version__}, devices {jax.devices()}, load {load}",
          file=sys.stderr)
    rows = measure(arguments)
    swift = swift_rows(arguments.swift_json) if arguments.swift_json else None
    print_table(rows, swift)
    if arguments.json:
        report = {
            "tool": "blackjax",
            "versions": {"jax": jax.__version__, "blackjax": blackjax.__version__, "python": platform.python_version()},
            "cpu": cpu_model(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "load_average": {"start": load, "end": load_average()},
            "repetitions": arguments.repetitions,
            "rows": rows,
        }
        with open(arguments.json, "w") as handle:
            json.dump(report, handle, indent=1, ensure_ascii=False)
            handle.write("\n")


if __name__ == "__main__":
    main()
