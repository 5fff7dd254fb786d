"""Tests of the Python client and the wire format (docs/EXTERNAL.md), against a fake
workbench in a thread: NumPy and the standard library only, a few seconds.

    python3 -m unittest discover -s clients/python/tests
"""

import json
import os
import struct
import sys
import threading
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from sgmcmc_bench import Bench, BenchError, PROTOCOL_VERSION  # noqa: E402
from sgmcmc_bench import protocol as p  # noqa: E402


class FakeWorkbench:
    """The workbench's side over two pipes: sends a configuration, then answers requests
    with ∇log π = −x (the standard normal) and log π = −|x|²/2, and stops after `steps`
    records. It keeps what it received for the tests to check."""

    def __init__(self, chains=3, dimension=2, steps=4, version=PROTOCOL_VERSION):
        self.chains, self.dimension, self.steps, self.version = chains, dimension, steps, version
        self.child_in, self.bench_out = os.pipe()
        self.bench_in, self.child_out = os.pipe()
        self.records, self.requests, self.errors = [], [], []
        self.start = np.arange(chains * dimension, dtype="<f8").reshape(chains, dimension)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def send(self, data):
        os.write(self.bench_out, data)

    def read(self, n):
        data = b""
        while len(data) < n:
            chunk = os.read(self.bench_in, n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def receive(self):
        length, kind = struct.unpack("<IB", self.read(5))
        return kind, self.read(length - 1)

    def serve(self):
        config = json.dumps({"protocolVersion": self.version, "sampler": "test", "chains": self.chains, "steps": self.steps,
                             "warmup": 1, "stepSize": 0.1, "hyperparameters": {"a": 1}, "seeds": [11, 12, 13][:self.chains],
                             "target": {"id": "std-normal", "dimension": self.dimension}}).encode()
        self.send(p.frame(p.CONFIG, struct.pack("<II", self.version, len(config)) + config + self.start.tobytes()))
        cd = self.chains * self.dimension
        try:
            kind, payload = self.receive()
            self.ready = (kind, payload)
            step = 0
            while True:
                kind, payload = self.receive()
                if kind == p.GRADIENT:
                    batch, flags = payload[0], payload[1]
                    x = np.frombuffer(payload, "<f8", cd, 4)
                    self.requests.append(("gradient", batch, len(payload)))
                    reply = (-x).tobytes()
                    if flags & 1:
                        reply += (-0.5 * (x.reshape(self.chains, -1) ** 2).sum(axis=1)).tobytes()
                    self.send(p.frame(p.GRADIENT_REPLY, reply))
                elif kind == p.LOG_DENSITY:
                    x = np.frombuffer(payload, "<f8", cd, 0)
                    self.send(p.frame(p.LOG_DENSITY_REPLY, (-0.5 * (x.reshape(self.chains, -1) ** 2).sum(axis=1)).tobytes()))
                elif kind == p.RECORD:
                    mask, nxt, flags = payload[0], payload[1], payload[2]
                    x = np.frombuffer(payload, "<f8", cd, 4)
                    stats = np.frombuffer(payload, "<f8", self.chains * bin(mask).count("1"), 4 + 8 * cd)
                    self.records.append((x.copy(), mask, stats.copy()))
                    step += 1
                    stop = step == self.steps
                    active = bytes([1] * (self.chains - 1) + [0])
                    reply = struct.pack("<BBxx", 1 if stop else 0, 1 if stop else 0) + active
                    if not stop and nxt:
                        reply += (-x).tobytes()
                    self.send(p.frame(p.RECORD_REPLY, reply))
                    if stop:
                        return
                elif kind == p.ERROR:
                    self.errors.append(payload.decode())
                    return
        except EOFError:
            return

    def client(self):
        return Bench(self.child_in, self.child_out)


class ClientTests(unittest.TestCase):
    def test_handshake_gives_the_configuration_and_starts(self):
        fake = FakeWorkbench()
        bench = fake.client()
        self.assertEqual((bench.chains, bench.dimension, bench.steps, bench.warmup), (3, 2, 4, 1))
        self.assertEqual(bench.seeds, [11, 12, 13])
        self.assertEqual(bench.hyperparameters, {"a": 1})
        np.testing.assert_array_equal(bench.initial_positions(), fake.start)
        bench.record(bench.initial_positions())  # the fake reads ready before serving
        self.assertEqual(fake.ready, (p.READY, struct.pack("<I", PROTOCOL_VERSION)))

    def test_gradient_log_density_and_record_round_trips(self):
        fake = FakeWorkbench(steps=3)
        bench = fake.client()
        x = bench.initial_positions()
        np.testing.assert_array_equal(bench.gradient(x, batch="same"), -x)
        lp, g = bench.log_density_gradient(x)
        np.testing.assert_array_equal(g, -x)
        np.testing.assert_allclose(lp, -0.5 * (x ** 2).sum(axis=1))
        np.testing.assert_allclose(bench.log_density(x), -0.5 * (x ** 2).sum(axis=1))
        g = bench.record(x + 1, next_gradient="new", acceptance_rate=[0.5, 0.6, 0.7], is_divergent=0)
        np.testing.assert_array_equal(g, -(x + 1))
        self.assertTrue(bench.running)
        self.assertEqual(list(bench.active), [True, True, False])
        bench.record(x)
        self.assertIsNone(bench.record(x, next_gradient="new"))
        self.assertFalse(bench.running)
        self.assertEqual(bench.stop_reason, "steps done")
        with self.assertRaises(BenchError):
            bench.record(x)
        fake.thread.join(2)
        self.assertEqual([r[:2] for r in fake.requests], [("gradient", 1), ("gradient", 2)])
        positions, mask, stats = fake.records[0]
        np.testing.assert_array_equal(positions.reshape(3, 2), x + 1)
        self.assertEqual(mask, 0b101)
        np.testing.assert_array_equal(stats, [0.5, 0.6, 0.7, 0, 0, 0])

    def test_a_wrong_shape_is_refused_before_the_wire(self):
        fake = FakeWorkbench()
        bench = fake.client()
        with self.assertRaises(ValueError):
            bench.gradient(np.zeros((3, 3)))
        with self.assertRaises(ValueError):
            bench.gradient(np.zeros((3, 2)), batch="minibatch")
        with self.assertRaises(ValueError):
            bench.record(np.zeros((3, 2)), acceptance=1)

    def test_an_exception_in_the_sampler_is_reported(self):
        fake = FakeWorkbench()
        with self.assertRaises(ZeroDivisionError):
            with fake.client():
                1 / 0
        fake.thread.join(2)
        self.assertEqual(fake.errors, ["ZeroDivisionError: division by zero"])

    def test_another_protocol_version_is_refused(self):
        fake = FakeWorkbench(version=PROTOCOL_VERSION + 1)
        with self.assertRaises(BenchError):
            fake.client()

    def test_frames_are_little_endian_and_length_prefixed(self):
        data = p.gradient_request(np.array([[1.0, 2.0]]), 1, 2, "full", with_log_density=True)
        self.assertEqual(data[:5], struct.pack("<IB", 1 + 4 + 16, p.GRADIENT))
        self.assertEqual(data[5:9], bytes([2, 1, 0, 0]))
        self.assertEqual(data[9:], struct.pack("<2d", 1.0, 2.0))
        record = p.record_request(np.zeros((2, 1)), 2, 1, {"energy_error": [1.0, 2.0]}, next_gradient="same")
        self.assertEqual(record[5:9], bytes([0b010, 2, 0, 0]))
        self.assertEqual(record[-16:], struct.pack("<2d", 1.0, 2.0))

    def test_the_byte_example_of_docs_external(self):
        """The four frames docs/EXTERNAL.md spells out byte by byte ("Bytes, for a client in
        another language")."""
        self.assertEqual(p.gradient_request(np.array([[1.0]]), 1, 1, "new").hex(), "0d0000001000000000000000000000f03f")
        self.assertEqual(p.frame(p.GRADIENT_REPLY, struct.pack("<d", -1.0)).hex(), "0900000011000000000000f0bf")
        self.assertEqual(p.record_request(np.array([[0.9]]), 1, 1, {}, next_gradient="new").hex(),
                         "0d0000002000010000cdccccccccccec3f")
        reply = p.frame(p.RECORD_REPLY, bytes([0, 0, 0, 0, 1]) + struct.pack("<d", -0.9))
        self.assertEqual(reply.hex(), "0e000000210000000001cdccccccccccecbf")


if __name__ == "__main__":
    unittest.main()
