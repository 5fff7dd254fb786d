"""The child's side of a session: `connect()`, then gradients, log densities and one record
per step until the workbench says stop."""

import json
import os
import struct
import sys

import numpy as np

from . import protocol as p


class BenchError(RuntimeError):
    """The workbench sent something this client does not understand, or went away."""


class Bench:
    """A session with the workbench over two file descriptors (standard input and output).

    Attributes after `connect()`: ``config`` (the configuration dict, docs/EXTERNAL.md),
    ``chains`` C, ``dimension`` d, ``steps``, ``warmup``, ``step_size`` (None when the sampler
    has none), ``hyperparameters`` (dict), ``seeds`` (one int per chain), ``running`` (False
    once a record was answered with stop), ``stop_reason``, ``active`` (C bools: chains the
    workbench still runs; a stopped chain's gradient rows are 0 and its log density NaN).
    """

    def __init__(self, read_fd, write_fd):
        self._in = read_fd
        self._out = write_fd
        self.running = True
        self.stop_reason = None
        self._handshake()

    # --- the API -------------------------------------------------------------------------

    def initial_positions(self):
        """The chains' start points, a (C, d) float64 array (a copy)."""
        return self._initial.copy()

    def gradient(self, x, batch="new"):
        """∇ log π at each row of `x` (C × d) on a `batch`: "new" (a fresh minibatch per
        chain), "same" (each chain's previous one) or "full" (all data). Counted by the
        workbench: n per chain for a minibatch, N for all data."""
        self._send(p.gradient_request(x, self.chains, self.dimension, batch))
        return self._doubles(p.GRADIENT_REPLY, self.chains * self.dimension).reshape(self.chains, self.dimension)

    def log_density_gradient(self, x, batch="full"):
        """(log π, ∇ log π) at each row of `x` in one round trip, BridgeStan's pair: log π on
        all data (up to a constant; a potential evaluation), the gradient on `batch`."""
        self._send(p.gradient_request(x, self.chains, self.dimension, batch, with_log_density=True))
        cd = self.chains * self.dimension
        values = self._doubles(p.GRADIENT_REPLY, cd + self.chains)
        return values[cd:].copy(), values[:cd].reshape(self.chains, self.dimension)

    def log_density(self, x):
        """log π at each row of `x` on all data, up to a constant: a (C,) array."""
        self._send(p.log_density_request(x, self.chains, self.dimension))
        return self._doubles(p.LOG_DENSITY_REPLY, self.chains)

    def record(self, x, next_gradient=None, with_log_density=False, **statistics):
        """Records one step's positions `x` (C × d), with optional per-chain statistics
        (``acceptance_rate``, ``energy_error``, ``is_divergent``). The workbench answers
        continue or stop: afterwards ``running``, ``stop_reason`` and ``active`` say which.
        With ``next_gradient`` ("new", "same", "full") it also returns the next step's
        gradient at `x` (and (log π, gradient) with ``with_log_density``) in the same round
        trip, or None when it stopped."""
        if not self.running:
            raise BenchError(f"record after the workbench said stop ({self.stop_reason})")
        self._send(p.record_request(x, self.chains, self.dimension, statistics, next_gradient, with_log_density))
        kind, payload = self._receive()
        if kind != p.RECORD_REPLY or len(payload) < 4 + self.chains:
            raise BenchError(f"expected a record reply, got kind 0x{kind:02x} of {len(payload)} bytes")
        verdict, reason = payload[0], payload[1]
        self.active = np.frombuffer(payload, dtype=np.uint8, count=self.chains, offset=4).astype(bool)
        if verdict != 0:
            self.running = False
            self.stop_reason = p.STOP_REASONS.get(reason, f"reason {reason}")
            return None
        if next_gradient is None:
            return None
        cd = self.chains * self.dimension
        count = cd + (self.chains if with_log_density else 0)
        values = np.frombuffer(payload, dtype=p.F64, count=count, offset=4 + self.chains)
        gradient = values[:cd].reshape(self.chains, self.dimension)
        return (values[cd:].copy(), gradient) if with_log_density else gradient

    def fail(self, message):
        """Tells the workbench the sampler gives up: the cell fails with `message`."""
        self._send(p.frame(p.ERROR, message.encode("utf-8")))
        self.running = False

    def close(self):
        for fd in (self._in, self._out):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if value is not None and not isinstance(value, (BenchError, BrokenPipeError)) and self.running:
            try:
                self.fail(f"{kind.__name__}: {value}")
            except OSError:
                pass
        self.close()
        return False

    # --- frames --------------------------------------------------------------------------

    def _handshake(self):
        kind, payload = self._receive()
        if kind != p.CONFIG:
            raise BenchError(f"expected the configuration (kind 0x01), got kind 0x{kind:02x}")
        version, size = struct.unpack_from("<II", payload, 0)
        if version != p.PROTOCOL_VERSION:
            self._send(p.frame(p.ERROR, f"client speaks protocol {p.PROTOCOL_VERSION}, workbench {version}".encode()))
            raise BenchError(f"the workbench speaks protocol version {version}; this client speaks {p.PROTOCOL_VERSION}")
        self.config = json.loads(payload[8:8 + size].decode("utf-8"))
        self.chains = int(self.config["chains"])
        self.dimension = int(self.config["target"]["dimension"])
        self.steps = int(self.config["steps"])
        self.warmup = int(self.config["warmup"])
        self.step_size = self.config.get("stepSize")
        self.hyperparameters = dict(self.config.get("hyperparameters", {}))
        self.seeds = [int(s) for s in self.config["seeds"]]
        self.active = np.ones(self.chains, dtype=bool)
        cd = self.chains * self.dimension
        self._initial = np.frombuffer(payload, dtype=p.F64, count=cd, offset=8 + size).reshape(self.chains, self.dimension).copy()
        self._send(p.frame(p.READY, struct.pack("<I", p.PROTOCOL_VERSION)))

    def _doubles(self, expected, count):
        kind, payload = self._receive()
        if kind != expected or len(payload) != 8 * count:
            raise BenchError(f"expected kind 0x{expected:02x} with {8 * count} bytes, got kind 0x{kind:02x} with {len(payload)}")
        return np.frombuffer(payload, dtype=p.F64, count=count)

    def _send(self, data):
        view = memoryview(data)
        while view:
            view = view[os.write(self._out, view):]

    def _read(self, n):
        chunks, left = [], n
        while left:
            chunk = os.read(self._in, left)
            if not chunk:
                raise BenchError("the workbench closed the connection")
            chunks.append(chunk)
            left -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _receive(self):
        length, kind = struct.unpack("<IB", self._read(5))
        return kind, self._read(length - 1) if length > 1 else b""


def connect(read_fd=None, write_fd=None):
    """The session of this process with the workbench that started it.

    By default the frames travel over standard input and output; standard output is then
    moved to a private descriptor and file descriptor 1 pointed at standard error, so a stray
    ``print`` goes to the cell's log instead of corrupting a frame."""
    if read_fd is None and write_fd is None:
        sys.stdout.flush()
        write_fd = os.dup(1)
        os.dup2(2, 1)
        read_fd = os.dup(0)
    return Bench(read_fd, write_fd)
