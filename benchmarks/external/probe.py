"""ext-probe: the cost of the external-sampler protocol alone (bench perf --only external).

Gradient descent x ← x + h ∇log π(x), no noise: each step is one record that carries the next
step's gradient request (one round trip for all chains) and one NumPy update, so its time is
the round trip's. Not a sampler to benchmark; a probe of what every external sampler pays.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from sgmcmc_bench import connect  # noqa: E402


def main():
    with connect() as bench:
        h = float(bench.step_size)
        x = bench.initial_positions()
        g = bench.gradient(x, batch="new")
        while bench.running:
            x = x + h * g
            g = bench.record(x, next_gradient="new")


if __name__ == "__main__":
    main()
