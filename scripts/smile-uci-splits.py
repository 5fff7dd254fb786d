#!/usr/bin/env python3
"""Writes data/smile-uci/splits/: the SMILE paper's train/valid/test row indices.

The SMILE code (GitHub EmanuelSommer/SMILE, commit 8a54636) permutes the rows of each data set
with JAX before it splits them 70/10/20; this script repeats only that permutation and the
split arithmetic, so the bnn-smile-* targets use the authors' exact rows. Written from reading
their src/training/trainer.py (BDETrainer.__init__, its `key` property), src/dataset/base.py
(BaseLoader.__init__, `key`, shuffle_arrays, get_splits) and src/dataset/tabular.py.

The key chain for config `rng: R` (their seeds 1, 2, 3 are our split 0, 1, 2):
  trainer key k = jax.random.key(R); each use of `trainer.key` does k, sub = split(k), use sub:
    use 1: the DE/sample/eval keys; use 2: the chain keys; use 3: the loader's key l;
  loader: use 1 of `loader.key`: the loader's chain keys; use 2: permutation(sub, arange(n)).
  Row i of their shuffled data is row perm[i] of the file; train = shuffled rows [0, i_t),
  valid = [i_t, i_v), test = [i_v, n), i_t = int(n * 0.7), i_v = int(n * (0.7 + 0.1)).

Needs the authors' pinned JAX (pyproject.toml: jax 0.4.33; the random bits of later versions
differ, e.g. jax_threefry_partitionable became the default in 0.5.0):
    python3 -m venv /tmp/jaxenv && /tmp/jaxenv/bin/pip install jax==0.4.33 jaxlib==0.4.33
    /tmp/jaxenv/bin/python scripts/smile-uci-splits.py
Output: data/smile-uci/splits/<name>_split<K>_{train,valid,test}.txt, one 0-based row index of
the .data file per line, in the authors' order (their minibatches index into it).
"""

import os
import sys

import jax
import jax.numpy as jnp
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "smile-uci")
NAMES = ["airfoil", "bikesharing", "energy"]
SEEDS = [1, 2, 3]  # their `rng` values; our `split` option 0, 1, 2


def take(key):
    """One use of their `key` property: returns (new state, key handed out)."""
    state, sub = jax.random.split(key)
    return state, sub


def permutation(seed, n):
    k = jax.random.key(seed)
    k, _ = take(k)  # _key_de, _key_sample, _key_eval
    k, _ = take(k)  # trainer _key_chains
    k, loader_key = take(k)  # TabularLoader(rng_key=self.key)
    l, _ = take(loader_key)  # loader _key_chains
    l, sub = take(l)  # shuffle_arrays
    return np.asarray(jax.random.permutation(sub, jnp.arange(n)))


def main():
    if jax.__version__ != "0.4.33":
        sys.exit(f"needs jax 0.4.33 (the authors' pinned version), found {jax.__version__}")
    out = os.path.join(ROOT, "splits")
    os.makedirs(out, exist_ok=True)
    for name in NAMES:
        n = len(np.genfromtxt(os.path.join(ROOT, name + ".data"), delimiter=" "))
        i_t, i_v = int(n * 0.7), int(n * (0.7 + 0.1))
        for k, seed in enumerate(SEEDS):
            perm = permutation(seed, n)
            assert sorted(perm.tolist()) == list(range(n))
            parts = {"train": perm[:i_t], "valid": perm[i_t:i_v], "test": perm[i_v:]}
            for part, rows in parts.items():
                path = os.path.join(out, f"{name}_split{k}_{part}.txt")
                with open(path, "w") as f:
                    f.write("".join(f"{int(r)}\n" for r in rows))
            print(name, f"split {k} (rng {seed}):", {p: len(r) for p, r in parts.items()}, "first rows", perm[:5].tolist())


if __name__ == "__main__":
    main()
