import Foundation
import Testing

/// External samplers end to end (issue 28, docs/EXTERNAL.md): the NumPy `ext-sgld` against
/// the built-in `sgld`, faults as cell results, and a grid's record of its samplers' files.
/// They need `python3` with NumPy (as CI and scripts/test do).
@Suite(.serialized) struct ExternalSamplerTests {
    /// The repository's root (this file is Tests/benchTests/ExternalSamplerTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let manifest = root.appendingPathComponent("examples/external/sgld.sampler.json").path

    static var hasNumPy: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import numpy"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// The metrics of a `bench run --json` line by name, and its gradient count.
    static func metrics(_ out: String) throws -> (gradients: Double, values: [String: Double]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        var values: [String: Double] = [:]
        for metric in object["metrics"] as? [[String: Any]] ?? [] {
            if let name = metric["name"] as? String, let value = metric["value"] as? Double { values[name] = value }
        }
        return (try #require(object["gradientEvaluations"] as? Double), values)
    }

    /// `ext-sgld` spends exactly the built-in's gradients, and its b² of x and of x² agree with
    /// the built-in's within Monte Carlo error. On gaussian-iso (d = 100 independent unit
    /// coordinates) b²(f) = mean_i (Ê f_i − E f_i)² / Var f_i is, for a chain of effective size
    /// ESS per coordinate, ≈ (1/ESS) χ²_d / d + bias²: mean 1/ESS, sd √(2/d)/ESS. The two runs
    /// are independent (NumPy's generator against xoshiro), so their difference has sd
    /// √2·√(2/d)/ESS; we allow 5 of those with the smaller of the two runs' minimum ESS (the
    /// conservative side), and the bias² of SGLD at h = 0.01 (variance 1/(1 − h/2): 2.5·10⁻⁵ in
    /// x²'s b²) is far below it.
    @Test func extSGLDMatchesSGLD() throws {
        guard Self.hasNumPy else { return }
        let common = ["--external", Self.manifest, "--target", "gaussian-iso", "--step-size", "0.01", "--steps", "4000",
                      "--chains", "4", "--seed", "1", "--json", "--diagnostics", "moments,ess"]
        let builtIn = try bench(["run", "--sampler", "sgld"] + common)
        let external = try bench(["run", "--sampler", "ext-sgld"] + common)
        #expect(builtIn.status == 0 && external.status == 0, "\(builtIn.err)\n\(external.err)")
        let a = try Self.metrics(builtIn.out), b = try Self.metrics(external.out)
        #expect(a.gradients == b.gradients && a.gradients == 16_000)
        let tolerance = 5 * 2.0.squareRoot() * (2.0 / 100).squareRoot()
        for (metric, ess) in [("b2-x", "bulk-ess-min"), ("b2-x2", "bulk-ess-x2-min")] {
            let e = min(try #require(a.values[ess]), try #require(b.values[ess]))
            let x = try #require(a.values[metric]), y = try #require(b.values[metric])
            #expect(abs(x - y) <= tolerance / e, "\(metric): sgld \(x), ext-sgld \(y), ESS \(e), allowed \(tolerance / e)")
        }
    }

    /// The same seed gives the same numbers: two runs of ext-sgld print the same b².
    @Test func extSGLDIsReproducible() throws {
        guard Self.hasNumPy else { return }
        let arguments = ["run", "--external", Self.manifest, "--sampler", "ext-sgld", "--target", "std-normal-1d", "--step-size", "0.1",
                         "--steps", "500", "--chains", "3", "--seed", "7", "--json", "--diagnostics", "moments"]
        let first = try Self.metrics(try bench(arguments).out), second = try Self.metrics(try bench(arguments).out)
        #expect(first.values["b2-x"] != nil && first.values["b2-x"] == second.values["b2-x"])
    }

    /// Writes a fault child (`fault.py MODE`) and one manifest per mode into `folder`.
    static func writeFaultSamplers(in folder: URL, modes: [String]) throws -> [String] {
        let client = root.appendingPathComponent("clients/python").path
        let script = """
            import os, signal, struct, sys, time
            sys.path.insert(0, \(String(reflecting: client)))
            from sgmcmc_bench import connect
            from sgmcmc_bench import protocol as p
            mode = sys.argv[1]
            with connect() as bench:
                x = bench.initial_positions()
                step = 0
                while bench.running:
                    step += 1
                    if step == 3:
                        print("fault child: mode", mode, file=sys.stderr, flush=True)
                        if mode == "crash": os.kill(os.getpid(), signal.SIGSEGV)
                        if mode == "hang": time.sleep(1000)
                        if mode == "exit": os._exit(3)
                        if mode == "malformed": bench._send(p.frame(0x7f, b"nonsense"))
                        if mode == "shape": bench._send(p.frame(p.GRADIENT, b"\\0\\0\\0\\0" + b"\\0" * 8))
                        if mode == "nan": x = x * float("nan"); bench.gradient(x)
                        if mode == "cost": bench.gradient(x)
                    g = bench.gradient(x)
                    x = x + 0.1 * g
                    bench.record(x)
            """
        try script.write(to: folder.appendingPathComponent("fault.py"), atomically: true, encoding: .utf8)
        return try modes.map { mode in
            let path = folder.appendingPathComponent("\(mode).sampler.json").path
            let manifest = """
                {"id": "fault-\(mode)", "summary": "a child that fails: \(mode)", "command": ["python3", "fault.py", "\(mode)"],
                 "stepSize": {"policy": "fixed", "default": 0.1}, "gradientCost": {"batchGradientsPerStep": 1}}
                """
            try manifest.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    /// A crashing, a hanging, an early-exiting and a malformed child, one sending a wrong
    /// shape, one a NaN position, one more gradients than it declares, and a program that does
    /// not exist (its manifest in YAML): each gives a crashed
    /// or failed cell with its reason and the tail of its stderr, while the other cells
    /// (sgld, ext-sgld) finish; the grid exits 1 (cells failed) and leaves no child behind.
    @Test func faultsAreCellResults() throws {
        guard Self.hasNumPy else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let modes = ["crash", "hang", "exit", "malformed", "shape", "nan", "cost"]
        var manifests = try Self.writeFaultSamplers(in: folder, modes: modes)
        // A program that does not exist, declared in YAML.
        let missing = folder.appendingPathComponent("nostart.sampler.yaml").path
        try """
            id: fault-nostart
            summary: a command that does not exist
            command: [no-such-program-issue-28]
            stepSize: {policy: fixed, default: 0.1}
            gradientCost: {batchGradientsPerStep: 1}
            """.write(toFile: missing, atomically: true, encoding: .utf8)
        manifests.append(missing)
        let out = folder.appendingPathComponent("grid").path
        var arguments = ["grid", "--external", Self.manifest, "--samplers", (["sgld", "ext-sgld", "fault-nostart"] + modes.map { "fault-\($0)" }).joined(separator: ","),
                         "--targets", "std-normal-1d", "--step-sizes", "0.1", "--steps", "200", "--chains", "2",
                         "--diagnostics", "moments", "--cell-timeout", "3", "--jobs", "2", "--out", out]
        for path in manifests { arguments += ["--external", path] }
        let start = Date()
        let run = try bench(arguments)
        #expect(run.status == 1, "\(run.err)")
        #expect(Date().timeIntervalSince(start) < 60)
        let lines = try String(contentsOfFile: out + "/results.jsonl", encoding: .utf8).split(separator: "\n")
        var byID: [String: [String: Any]] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            byID[String((object["key"] as? String ?? "").split(separator: "|")[0])] = object
        }
        #expect(byID["sgld"]?["status"] as? String == "ok")
        #expect(byID["ext-sgld"]?["status"] as? String == "ok")
        #expect(byID["fault-nostart"]?["status"] as? String == "failed")
        let noStart = byID["fault-nostart"]?["message"] as? String ?? ""
        #expect(noStart.contains("cannot start no-such-program-issue-28"), "\(noStart)")
        let expected: [String: (status: String, reason: String)] = [
            "crash": ("crashed", "signal 11"), "hang": ("failed", "--cell-timeout 3"), "exit": ("failed", "exited early"),
            "malformed": ("failed", "malformed frame"), "shape": ("failed", "wrong shape"), "nan": ("failed", "non-finite position"),
            "cost": ("failed", "budget spent"),
        ]
        for (mode, want) in expected {
            let result = try #require(byID["fault-\(mode)"], "no result for fault-\(mode)")
            let message = result["message"] as? String ?? ""
            #expect(result["status"] as? String == want.status, "fault-\(mode): \(message)")
            #expect(message.contains(want.reason), "fault-\(mode): \(message)")
            #expect(message.contains("fault child: mode \(mode)"), "fault-\(mode) keeps no stderr tail: \(message)")
            // The whole stderr is the cell's log, in the grid's folder.
            let log = out + "/logs/fault-\(mode)_std-normal-1d_h=0.1_n=full_seed=1.stderr"
            #expect(message.contains("whole stderr: \(log)"), "\(message)")
            #expect((try? String(contentsOfFile: log, encoding: .utf8))?.contains("fault child: mode \(mode)") == true)
        }
        // No child outlives its cell: no fault.py process is left.
        let ps = Process()
        ps.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ps.arguments = ["pgrep", "-f", folder.path]
        ps.standardOutput = FileHandle.nullDevice
        try ps.run()
        ps.waitUntilExit()
        #expect(ps.terminationStatus == 1, "a fault child outlived its cell")
    }

    /// BlackJAX's SGLD over the client: with BlackJAX installed it runs and spends sgld's
    /// gradients; without it the run fails with the child's message that BlackJAX is not
    /// installed (the example's documented skip), and this test says it was skipped.
    @Test func blackJAXExample() throws {
        guard Self.hasNumPy else { return }
        let manifest = Self.root.appendingPathComponent("examples/external/blackjax_sgld.sampler.json").path
        let run = try bench(["run", "--external", manifest, "--sampler", "bjx-sgld", "--target", "std-normal-1d", "--step-size", "0.1",
                             "--steps", "200", "--chains", "2", "--json", "--diagnostics", "moments"])
        if run.err.contains("BlackJAX is not installed") {
            #expect(run.status == 1)
            print("ExternalSamplerTests.blackJAXExample: skipped, BlackJAX is not installed (\(run.err.split(separator: "\n").first ?? ""))")
            return
        }
        #expect(run.status == 0, "\(run.err)")
        #expect(try Self.metrics(run.out).gradients == 400)
    }

    /// `bench perf --only external` (section (g)) measures the round trip at 1 and 64 chains and
    /// the ratios to sgld, each a positive finite number (a tiny workload: the rows, not the speed).
    @Test func perfSection() throws {
        guard Self.hasNumPy else { return }
        let run = try bench(["perf", "--only", "external", "--scale", "0.002", "--repetitions", "1", "--json"])
        #expect(run.status == 0, "\(run.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["key"] as? String } == [
            "external/roundtrip/std-normal-1d/1", "external/roundtrip/std-normal-1d/64", "external/ratio/ext-sgld/gaussian-iso/4",
            "external/ratio/ext-sgld/yacht-2x50/4", "external/ratio/ext-probe/yacht-2x50/4",
        ])
        for row in rows {
            let values = (row["summary"] as? [String: Any])?["values"] as? [Double] ?? []
            #expect(!values.isEmpty && values.allSatisfy { $0.isFinite && $0 > 0 }, "\(row["key"] ?? "?"): \(values)")
        }
    }

    /// `bench list --external` shows the manifest's sampler; a misspelt manifest field is an error.
    @Test func listShowsExternalSamplers() throws {
        let listed = try bench(["list", "--external", Self.manifest])
        #expect(listed.status == 0)
        #expect(listed.out.contains("ext-sgld") && listed.out.contains("external: \(Self.manifest)"))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.sampler.json").path
        try #"{"id": "x", "summary": "s", "command": ["true"], "stepsize": {}, "gradientCost": {}}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try bench(["list", "--external", bad])
        #expect(refused.status == 65 && refused.err.contains("stepsize"), "\(refused.err)")
    }

    /// grid.json records the external sampler's files: a resume with the sampler unchanged
    /// runs (with --external, or without it: the folder's grid.json names the manifest), one
    /// after its script changed is refused (exit 64) naming the field, and a grid
    /// without external samplers leaves the field out (old folders keep their identity).
    @Test func gridRecordsTheSamplersFiles() throws {
        guard Self.hasNumPy else { return }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("wrapper.py")
        try "import runpy; runpy.run_path(\(String(reflecting: Self.root.appendingPathComponent("examples/external/sgld.py").path)), run_name='__main__')\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let manifest = folder.appendingPathComponent("wrapped.sampler.json").path
        try #"{"id": "wrapped-sgld", "summary": "ext-sgld through a wrapper", "command": ["python3", "wrapper.py"], "stepSize": {"policy": "fixed"}, "gradientCost": {"batchGradientsPerStep": 1}}"#
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("grid").path
        let arguments = ["grid", "--external", manifest, "--samplers", "wrapped-sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1",
                         "--steps", "100", "--chains", "2", "--seeds", "1,2", "--diagnostics", "moments", "--out", out]
        let first = try bench(arguments + ["--shard", "1/2"])
        #expect(first.status == 0, "\(first.err)")
        let gridJSON = try String(contentsOfFile: out + "/grid.json", encoding: .utf8)
        #expect(gridJSON.contains("externalSamplers") && gridJSON.contains("wrapped.sampler.json"))
        let unchanged = try bench(arguments + ["--shard", "1/2", "--resume"])
        #expect(unchanged.status == 0, "\(unchanged.err)")
        // A resume finds the manifest in the folder's grid.json without --external.
        let withoutFlag = try bench(arguments.filter { $0 != manifest && $0 != "--external" } + ["--resume"])
        #expect(withoutFlag.status == 0, "\(withoutFlag.err)")
        #expect(try String(contentsOfFile: out + "/results.jsonl", encoding: .utf8).split(separator: "\n").count == 2)
        try "# changed\n".appending(try String(contentsOf: script, encoding: .utf8)).write(to: script, atomically: true, encoding: .utf8)
        let changed = try bench(arguments + ["--shard", "1/2", "--resume"])
        #expect(changed.status == 64 && changed.err.contains("externalSamplers"), "\(changed.err)")
        let plain = try bench(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1", "--steps", "100",
                               "--chains", "2", "--diagnostics", "moments", "--out", folder.appendingPathComponent("plain").path])
        #expect(plain.status == 0)
        #expect(!(try String(contentsOfFile: folder.appendingPathComponent("plain/grid.json").path, encoding: .utf8)).contains("externalSamplers"))
    }
}
