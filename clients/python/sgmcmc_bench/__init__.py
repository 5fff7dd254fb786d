"""Client of the SG-MCMC workbench's external-sampler protocol (docs/EXTERNAL.md).

A sampler written in Python (NumPy, JAX, PyTorch) runs as a child process of `bench`; the
workbench owns the target, its data, the minibatches, the seeds and the gradient count, and
the sampler owns its step rule. The whole API::

    from sgmcmc_bench import connect

    with connect() as bench:                 # reads the configuration from standard input
        x = bench.initial_positions()        # (chains, dimension), ArviZ's chain-first order
        rngs = [np.random.default_rng(s) for s in bench.seeds]
        g = bench.gradient(x, batch="new")   # ∇ log π on a new minibatch per chain
        while bench.running:
            x = x + h * g + np.sqrt(2 * h) * noise(rngs)
            g = bench.record(x, next_gradient="new")   # record the step, get the next gradient

Names follow BridgeStan where they overlap (``log_density``, ``log_density_gradient``); the
gradient is of the log density, ∇ log π = −∇U.
"""

from .client import Bench, BenchError, connect
from .protocol import PROTOCOL_VERSION

__all__ = ["Bench", "BenchError", "connect", "PROTOCOL_VERSION"]
__version__ = "1.0.0"
