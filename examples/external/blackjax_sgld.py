"""bjx-sgld: BlackJAX's SGLD (blackjax.sgld) run by the workbench as an external sampler
(blackjax_sgld.sampler.json; docs/EXTERNAL.md).

BlackJAX's SGLD takes a gradient estimator `grad_estimator(position, minibatch)`; here it
calls the workbench, which draws each chain's minibatch itself (`--batching`) and counts the
gradient, so the `minibatch` argument BlackJAX passes is unused. The position is the (C, d)
array of all chains: SGLD's update and noise are element-wise, so one BlackJAX step on it is C
independent chains, with one gradient request (one round trip) per step. The step runs
eagerly (not under jax.jit): the estimator does I/O. The noise key comes from chain 0's seed.

Without BlackJAX (or JAX) the child tells the workbench so, and the cell fails with that
message: "BlackJAX is not installed".
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from sgmcmc_bench import connect  # noqa: E402


def main():
    with connect() as bench:
        try:
            import jax
            import jax.numpy as jnp
            import blackjax
        except ImportError as error:
            bench.fail(f"BlackJAX is not installed ({error}); pip install blackjax to run bjx-sgld — skipped")
            return
        jax.config.update("jax_enable_x64", True)

        def grad_estimator(position, minibatch):
            return jnp.asarray(bench.gradient(np.asarray(position), batch="new"))

        sgld = blackjax.sgld(grad_estimator)
        h = float(bench.step_size)
        key = jax.random.PRNGKey(bench.seeds[0])
        position = jnp.asarray(bench.initial_positions())
        while bench.running:
            key, step_key = jax.random.split(key)
            position = sgld.step(step_key, position, None, h)
            bench.record(np.asarray(position))


if __name__ == "__main__":
    main()
