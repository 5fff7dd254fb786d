#!/usr/bin/env python3
"""Rebuild a target exported by `bench export-target` in NumPy and check it against the
export's check points (docs/EXTERNAL.md, "The same target elsewhere").

    python3 examples/external/check_target.py DIR

It implements U(θ) and its minibatch estimate for the targets that export their arrays
(the Gaussian family, funnel, banana, each with or without a gradient-noise model, sblri,
both eight-schools parameterisations, the BNN regressions and the BNN classifier),
from target.json's options and DIR/*.npy alone, and compares, at every check point,
  - log density differences to the first point (log π is known up to a constant),
  - the full-data gradient of log π,
  - the minibatch gradient estimate on each given index set,
to a relative tolerance of 1e-9 (float64 round-off of sums of at most N·d terms).
Exit 0 when everything matches, 1 with the first mismatch otherwise. NumPy only: copy the
function for your target into your framework as its log density.
"""
import json
import sys

import numpy as np


def potential_parts(export, arrays):
    """U(x), ∇U(x) on all data, and ∇Ũ(x; batch), as functions of a float64 vector."""
    target, options, n_data = export["id"], export["options"], export["dataSize"]

    if "scales" in arrays:  # std-normal-1d, gaussian-iso, gaussian-illcond, gaussian-corr-2d
        c = arrays["scales"]
        q = arrays.get("rotation", np.eye(len(c)))
        precision = q @ np.diag(1 / c**2) @ q.T
        U = lambda x: 0.5 * x @ precision @ x
        grad_U = lambda x: precision @ x
    elif target == "funnel":
        def U(x):
            v, rest = x[0], x[1:]
            return v**2 / 18 + len(rest) * v / 2 + 0.5 * np.exp(-v) * rest @ rest
        def grad_U(x):
            v, rest = x[0], x[1:]
            return np.concatenate([[v / 9 + len(rest) / 2 - 0.5 * np.exp(-v) * rest @ rest], rest * np.exp(-v)])
    elif target == "banana":
        b, s = float(arrays["curvature"]), float(arrays["scale"])
        def U(x):
            r = x[1] - b * (x[0]**2 - s**2)
            return x[0]**2 / (2 * s**2) + 0.5 * r**2
        def grad_U(x):
            r = x[1] - b * (x[0]**2 - s**2)
            return np.array([x[0] / s**2 - 2 * b * x[0] * r, r])
    elif target == "sblri":
        X, y = arrays["X"], arrays["y"]
        def terms(x, rows):
            beta, s = x[:-1], x[-1]
            sigma2 = np.exp(2 * s)
            r = y[rows] - X[rows] @ beta
            scale = n_data / len(r)
            u = beta @ beta / 200 + sigma2 / 200 - s + scale * np.sum(s + r**2 / (2 * sigma2))
            g = np.concatenate([beta / 100 - scale * (r @ X[rows]) / sigma2,
                                [sigma2 / 100 - 1 + scale * np.sum(1 - r**2 / sigma2)]])
            return u, g
        everything = np.arange(n_data)
        return (lambda x: terms(x, everything)[0], lambda x: terms(x, everything)[1],
                lambda x, batch: terms(x, batch)[1])
    elif "widths" in arrays:  # bnn-uci-*, bnn-smile-*: an MLP regression; bnn-classify: softmax
        X, widths = arrays["X"], arrays["widths"].astype(int)
        classify = "labels" in arrays
        y = arrays["labels"].astype(int) if classify else arrays["y"]
        prior = float(arrays["prior-scale"])
        act, act_grad = {
            "tanh": (np.tanh, lambda a: 1 - a**2),
            "relu": (lambda z: np.maximum(z, 0), lambda a: (a > 0).astype(float)),
            "softplus": (lambda z: np.logaddexp(0, z), lambda a: -np.expm1(-a)),
        }[options["activation"]]
        n_weights = sum(widths[l] * widths[l + 1] + widths[l + 1] for l in range(len(widths) - 1))
        def layers(w):
            offset = 0
            for l in range(len(widths) - 1):
                W = w[offset:offset + widths[l] * widths[l + 1]].reshape(widths[l + 1], widths[l])
                offset += W.size
                yield W, w[offset:offset + widths[l + 1]]
                offset += widths[l + 1]
        def terms(x, rows):
            w = x[:n_weights]
            learned = len(x) > n_weights
            s = x[-1] if learned else np.log(float(arrays.get("noise-sd", 1.0)))
            sigma2 = np.exp(2 * s)
            activations, params = [X[rows]], list(layers(w))
            for k, (W, b) in enumerate(params):
                z = activations[-1] @ W.T + b
                activations.append(z if k == len(params) - 1 else act(z))
            scale = n_data / len(rows)
            if classify:
                logits = activations[-1]
                top = logits.max(axis=1, keepdims=True)
                log_sum = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
                picked = logits[np.arange(len(rows)), y[rows]]
                u = w @ w / (2 * prior**2) + scale * np.sum(log_sum - picked)
                probabilities = np.exp(logits - log_sum[:, None])
                probabilities[np.arange(len(rows)), y[rows]] -= 1
                delta = scale * probabilities
            else:
                r = y[rows] - activations[-1][:, 0]
                u = w @ w / (2 * prior**2) + scale * np.sum(r**2) / (2 * sigma2)
                delta = (-scale * r / sigma2)[:, None]
            g_s = 0.0
            if learned:
                u += scale * len(rows) * s
                g_s = scale * np.sum(1 - r**2 / sigma2)
                if "noise-half-normal-scale" in arrays:
                    S = float(arrays["noise-half-normal-scale"])
                    u += sigma2 / (2 * S**2) - s
                    g_s += sigma2 / S**2 - 1
                else:
                    S = float(arrays["noise-normal-log-scale"])
                    u += s**2 / (2 * S**2)
                    g_s += s / S**2
            # Back-propagation of delta = ∂U/∂F through the layers.
            grads = []
            for k in range(len(params) - 1, -1, -1):
                W, _ = params[k]
                grads.append((delta.T @ activations[k], delta.sum(axis=0)))
                if k > 0:
                    delta = (delta @ W) * act_grad(activations[k])
            g = np.concatenate([np.concatenate([gW.ravel(), gb]) for gW, gb in reversed(grads)]) + w / prior**2
            return u, np.concatenate([g, [g_s]]) if learned else g
        everything = np.arange(len(y))
        return (lambda x: terms(x, everything)[0], lambda x: terms(x, everything)[1],
                lambda x, batch: terms(x, batch)[1])
    elif target.startswith("eight-schools-"):
        y, sigma = arrays["y"], arrays["sigma"]
        centered = target == "eight-schools-centered"
        def terms(x, schools):
            mu, s, rest = x[0], x[1], x[2:]
            tau = np.exp(s)
            weight = 8 / len(schools)
            t2 = tau**2 / 25
            u = mu**2 / 50 + np.log1p(t2) - s
            g = np.zeros(10)
            g[0], g[1] = mu / 25, 2 * t2 / (1 + t2) - 1
            if centered:
                d = rest - mu
                u += np.sum(d**2 / (2 * tau**2) + s)
                g[0] -= np.sum(d) / tau**2
                g[1] += 8 - np.sum(d**2) / tau**2
                g[2:] = d / tau**2
                r = y[schools] - rest[schools]
                u += weight * np.sum(r**2 / (2 * sigma[schools]**2))
                g[2 + schools] -= weight * r / sigma[schools]**2
            else:
                u += rest @ rest / 2
                g[2:] = rest
                r = y[schools] - mu - tau * rest[schools]
                u += weight * np.sum(r**2 / (2 * sigma[schools]**2))
                g[0] -= weight * np.sum(r / sigma[schools]**2)
                g[1] -= weight * np.sum(r * tau * rest[schools] / sigma[schools]**2)
                g[2 + schools] -= weight * r * tau / sigma[schools]**2
            return u, g
        everything = np.arange(8)
        return (lambda x: terms(x, everything)[0], lambda x: terms(x, everything)[1],
                lambda x, batch: terms(x, batch)[1])
    else:
        sys.exit(f"check_target.py: no NumPy model of '{target}' here ({export['definition']})")

    if "noise-data" not in arrays:
        return U, grad_U, lambda x, batch: grad_U(x)
    # The gradient-noise models: ∇Ũ(x) = ∇U(x) − (N/n) ∇(w(x) Σ_{i∈B} y_iᵀx); Σ_i y_i = 0.
    data = arrays["noise-data"]
    spatial = options["noise"] == "spatially_varied"
    def grad_minibatch(x, batch):
        total = data[batch].sum(axis=0)
        factor = n_data / len(batch)
        g = grad_U(x).copy()
        if not spatial:
            return g - factor * total
        w = np.exp(-x[2] / 6.5)
        g -= factor * w * total
        g[2] += factor * w * (total @ x) / 6.5
        return g
    return U, grad_U, grad_minibatch


def close(a, b, what, tolerance=1e-9):
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = max(1.0, float(np.max(np.abs(b))))
    if np.max(np.abs(a - b)) > tolerance * scale:
        sys.exit(f"check_target.py: {what} differs: {a} vs the export's {b}")


def main(folder):
    export = json.load(open(f"{folder}/target.json"))
    arrays = {a["name"]: np.load(f"{folder}/{a['file']}") for a in export["arrays"]}
    U, grad_U, grad_minibatch = potential_parts(export, arrays)
    points = export["checkPoints"]
    x0 = np.array(points[0]["position"])
    for k, point in enumerate(points):
        x = np.array(point["position"])
        close(-(U(x) - U(x0)), point["logDensity"] - points[0]["logDensity"], f"log density at point {k} (relative to point 0)")
        close(-grad_U(x), point["logDensityGradient"], f"gradient at point {k}")
        for j, batch in enumerate(point["minibatches"]):
            close(-grad_minibatch(x, np.array(batch["indices"])), batch["logDensityGradient"], f"minibatch {j} gradient at point {k}")
    batches = sum(len(p["minibatches"]) for p in points)
    print(f"check_target.py: {export['id']} matches: {len(points)} points, {batches} minibatches")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_target.py DIR (a folder written by `bench export-target`)")
    main(sys.argv[1])
