"""The wire format (docs/EXTERNAL.md): frames of a little-endian u32 length, a u8 kind and a
payload; every number little-endian, arrays of float64 chain-major (C × d)."""

import struct

import numpy as np

PROTOCOL_VERSION = 1

CONFIG = 0x01
READY = 0x02
GRADIENT = 0x10
GRADIENT_REPLY = 0x11
LOG_DENSITY = 0x12
LOG_DENSITY_REPLY = 0x13
RECORD = 0x20
RECORD_REPLY = 0x21
ERROR = 0x30

BATCHES = {"new": 0, "same": 1, "full": 2}
STATISTICS = ("acceptance_rate", "energy_error", "is_divergent")  # bits 0, 1, 2 of a record's mask
STOP_REASONS = {0: None, 1: "steps done", 2: "budget spent", 3: "all chains stopped", 4: "wall-time cap"}

F64 = np.dtype("<f8")


def frame(kind, payload=b""):
    """One frame: length (kind + payload), kind, payload."""
    return struct.pack("<IB", 1 + len(payload), kind) + payload


def positions_bytes(x, chains, dimension):
    """`x` as C × d little-endian float64 bytes; a wrong shape is an error here, not on the wire."""
    a = np.asarray(x, dtype=F64)
    if a.shape != (chains, dimension):
        raise ValueError(f"positions of shape {a.shape}; the workbench expects (chains, dimension) = ({chains}, {dimension})")
    return np.ascontiguousarray(a).tobytes()


def gradient_request(x, chains, dimension, batch="new", with_log_density=False):
    if batch not in BATCHES:
        raise ValueError(f"batch {batch!r}; accepted: {', '.join(BATCHES)}")
    header = struct.pack("<BBxx", BATCHES[batch], 1 if with_log_density else 0)
    return frame(GRADIENT, header + positions_bytes(x, chains, dimension))


def log_density_request(x, chains, dimension):
    return frame(LOG_DENSITY, positions_bytes(x, chains, dimension))


def record_request(x, chains, dimension, statistics, next_gradient=None, with_log_density=False):
    """A record of one step: positions, then the given statistics (name → C values) in bit
    order; `next_gradient` ("new", "same", "full" or None) asks for the next step's gradient
    at these positions in the reply."""
    mask, tail = 0, b""
    for bit, name in enumerate(STATISTICS):
        if statistics.get(name) is not None:
            values = np.broadcast_to(np.asarray(statistics[name], dtype=F64), (chains,))
            mask |= 1 << bit
            tail += np.ascontiguousarray(values, dtype=F64).tobytes()
    unknown = set(statistics) - set(STATISTICS)
    if unknown:
        raise ValueError(f"unknown statistics {sorted(unknown)}; accepted: {', '.join(STATISTICS)}")
    if next_gradient is not None and next_gradient not in BATCHES:
        raise ValueError(f"next_gradient {next_gradient!r}; accepted: None, {', '.join(BATCHES)}")
    nxt = 0 if next_gradient is None else 1 + BATCHES[next_gradient]
    header = struct.pack("<BBBx", mask, nxt, 1 if with_log_density else 0)
    return frame(RECORD, header + positions_bytes(x, chains, dimension) + tail)
