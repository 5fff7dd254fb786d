import Foundation
import Testing

@Suite struct CommandTests {
    /// `bench run` says when its numbers are not a result (CellHealth), in CmdStan `diagnose`'s
    /// manner, and still exits 0; with --json the warnings go to standard error.
    @Test func runWarnsByNameWhenTheChainsHaveNotMixed() throws {
        let args = ["run", "--sampler", "sgld", "--target", "gaussian-iso", "--step-size", "1e-9", "--steps", "2000",
                    "--diagnostics", "ess,moments,stability"]
        let (code, out, err) = try bench(args)
        #expect(code == 0, "\(err)")
        #expect(out.contains("health      fail"))
        #expect(out.contains("Health checks: fail") && out.contains("R̂") && out.contains("chains stuck"), "\(out)")
        let (jsonCode, json, warnings) = try bench(args + ["--json"])
        #expect(jsonCode == 0 && json.contains("\"health\""))
        #expect(warnings.contains("bench: warning (fail): R̂"), "\(warnings)")
        let (_, healthy, _) = try bench(["run", "--sampler", "exact", "--target", "std-normal-1d", "--steps", "4000",
                                         "--diagnostics", "ess,moments,stability"])
        #expect(healthy.contains("no problems detected"), "\(healthy)")
    }

    /// The SMILE samplers on an exact gradient are declined before anything runs (exit 64,
    /// naming the gradient and what to do); with a minibatch gradient the same run goes ahead.
    @Test func smileOnAnExactGradientIsDeclinedBeforeItRuns() throws {
        for sampler in ["smile", "smile-precond", "smile-naive", "psmile-naive"] {
            let (code, out, err) = try bench(["run", "--sampler", sampler, "--target", "gaussian-iso", "--step-size", "0.01", "--steps", "100"])
            #expect(code == 64 && out.isEmpty, "\(sampler): \(code) \(out)")
            #expect(err.contains("sampler \(sampler) needs a stochastic gradient") && err.contains("at batch size full has an exact gradient")
                    && err.contains("--target-param noise=isotropic") && err.contains("run mclmc"), "\(err)")
        }
        let (data, _, dataErr) = try bench(["run", "--sampler", "smile", "--target", "sblri", "--batch-size", "full", "--steps", "100"])
        #expect(data == 64 && dataErr.contains("--batch-size n with n < N = 100"), "\(dataErr)")
        let (noisy, _, noisyErr) = try bench(["run", "--sampler", "smile", "--target", "gaussian-iso", "--target-param", "noise=isotropic",
                                              "--batch-size", "256", "--steps", "200", "--diagnostics", "moments"])
        #expect(noisy == 0, "\(noisyErr)")
    }

    @Test func listShowsEveryPluginAndDefaults() throws {
        let (code, out, _) = try bench(["list"])
        #expect(code == 0)
        for id in ["sgld", "exact", "std-normal-1d", "gaussian-iso", "gaussian-illcond", "ess", "moments"] {
            #expect(out.contains(id))
        }
        #expect(out.contains("schedule-decay=0"))
        #expect(out.contains("cost: 2n per step + 1000n at set-up + N at set-up"))
        #expect(out.contains("cost: 2n per step (3n per step without closed-form Hessians)"))
    }

    func runJSON(seed: Int) throws -> [String: Any] {
        let (code, out, err) = try bench(["run", "--sampler", "sgld", "--target", "gaussian-iso", "--steps", "2000",
                                          "--step-size", "0.05", "--seed", "\(seed)", "--target-param", "dimension=10", "--json"])
        #expect(code == 0, "\(err)")
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test func runPrintsOneJSONObjectWithTheContractFields() throws {
        let object = try runJSON(seed: 4)
        for key in ["sampler", "target", "hyperparameters", "steps", "gradientEvaluations", "wallSeconds", "diverged", "metrics"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["sampler"] as? String == "sgld")
        #expect((object["gradientEvaluations"] as? NSNumber)?.doubleValue == 8000)
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        #expect(metrics.contains { $0["name"] as? String == "bulk-ess-min" && $0["unit"] != nil && $0["direction"] != nil })
    }

    @Test func sameSeedSameMetricsAcrossProcesses() throws {
        let a = try runJSON(seed: 11), b = try runJSON(seed: 11)
        // Everything but wall-clock rates (ess-per-gradient's ess-per-second) is a function of the seed.
        func seeded(_ object: [String: Any]) throws -> Data {
            let metrics = try #require(object["metrics"] as? [[String: Any]])
            let kept = metrics.filter { !(($0["name"] as? String)?.hasSuffix("-per-second") ?? false) }
            return try JSONSerialization.data(withJSONObject: kept, options: .sortedKeys)
        }
        let ma = try seeded(a), mb = try seeded(b)
        #expect(ma == mb)
    }

    /// `--export-draws` writes (chains, draws, d) float64: 3 chains × 100 kept draws × d = 100.
    @Test func exportedDrawsHaveTheDocumentedShape() throws {
        let path = try temporaryFolder().appendingPathComponent("draws.npy").path
        let (code, _, err) = try bench(["run", "--sampler", "sgld", "--target", "gaussian-iso", "--steps", "110",
                                        "--warmup", "10", "--step-size", "0.05", "--chains", "3", "--export-draws", path])
        #expect(code == 0, "\(err)")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'shape': (3, 100, 100)"))
        #expect(data.count == 10 + headerLength + 3 * 100 * 100 * 8)
    }

    /// Hyperparameters reach the samplers from `--param` (run), `--param SAMPLER.NAME=VALUE`
    /// (grid) and a grid spec file, and are recorded with the defaults filled in.
    @Test func hyperparametersAreSettableFromTheCommandLineAndGridFiles() throws {
        let (code, out, err) = try bench(["run", "--sampler", "psgld", "--target", "std-normal-1d", "--steps", "200",
                                          "--step-size", "0.01", "--param", "alpha=0.5", "--param", "lambda=0.01", "--json"])
        #expect(code == 0, "\(err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let hyper = try #require(object["hyperparameters"] as? [String: Any])
        #expect((hyper["alpha"] as? NSNumber)?.doubleValue == 0.5 && (hyper["lambda"] as? NSNumber)?.doubleValue == 0.01)

        let folder = try temporaryFolder()
        let spec = folder.appendingPathComponent("grid.json")
        try #"{"samplers": ["adam-sgld", "sgrld-shampoo"], "targets": ["std-normal-1d"], "stepSizes": [0.01], "steps": 200, "chains": 1, "hyperparameters": {"adam-sgld": {"beta2": 0.9}}}"#
            .write(to: spec, atomically: true, encoding: .utf8)
        let (gridCode, _, gridErr) = try bench(["grid", "--spec", spec.path, "--param", "sgrld-shampoo.refresh=5",
                                                "--out", folder.appendingPathComponent("out").path])
        #expect(gridCode == 0, "\(gridErr)")
        let lines = try String(contentsOf: folder.appendingPathComponent("out/results.jsonl"), encoding: .utf8).split(separator: "\n")
        let results = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0["sampler"] as! String, $0["hyperparameters"] as! [String: Any]) })
        #expect((byID["adam-sgld"]?["beta2"] as? NSNumber)?.doubleValue == 0.9)
        #expect((byID["adam-sgld"]?["beta1"] as? NSNumber)?.doubleValue == 0.9)
        #expect((byID["sgrld-shampoo"]?["refresh"] as? NSNumber)?.doubleValue == 5)
    }
}
