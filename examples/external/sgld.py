"""ext-sgld: stochastic-gradient Langevin dynamics (Welling & Teh 2011) in NumPy, run by the
workbench as an external sampler (sgld.sampler.json; docs/EXTERNAL.md).

θ ← θ + h_t ∇log π̃(θ) + √(2 h_t) ξ, ξ ~ N(0, I), h_t = h (b + t)^(−γ): the rule of the built-in
`sgld`. One gradient per step on a new minibatch, asked for with the record of the previous
step, so each step is one round trip for all chains. Chain c's normals come from
numpy.random.default_rng(seed c), the seed the workbench derives for the chain.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from sgmcmc_bench import connect  # noqa: E402


def main():
    with connect() as bench:
        h = float(bench.step_size)
        decay = float(bench.hyperparameters.get("schedule-decay", 0))
        offset = float(bench.hyperparameters.get("schedule-offset", 1))
        rngs = [np.random.default_rng(seed) for seed in bench.seeds]
        d = bench.dimension
        x = bench.initial_positions()
        z = np.empty_like(x)
        g = bench.gradient(x, batch="new")
        t = 0
        while bench.running:
            h_t = h if decay == 0 else h * (offset + t) ** -decay
            for c, rng in enumerate(rngs):
                z[c] = rng.standard_normal(d)
            x = x + h_t * g + np.sqrt(2 * h_t) * z
            t += 1
            g = bench.record(x, next_gradient="new")


if __name__ == "__main__":
    main()
