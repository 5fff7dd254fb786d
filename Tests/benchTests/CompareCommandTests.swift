import Foundation
import Testing

/// `bench compare` against a baseline kept by `bench baseline` passes an identical run and
/// flags an injected regression (exit 1), as CI uses them.
@Suite struct CompareCommandTests {
    @Test func identicalRunsPassAndAnInjectedRegressionFails() throws {
        let grid = try temporaryFolder(), new = try temporaryFolder()
        let old = grid.appendingPathComponent("baseline")
        let (code, _, err) = try bench(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.05,0.2",
                                        "--seeds", "1,2", "--steps", "5000", "--chains", "2", "--out", grid.path])
        #expect(code == 0, "\(err)")
        for name in ["results.jsonl", "grid.json"] {
            try FileManager.default.copyItem(at: grid.appendingPathComponent(name), to: new.appendingPathComponent(name))
        }
        // The baseline keeps every cell and its metrics, without figure data.
        let kept = try bench(["baseline", grid.path, "--out", old.path])
        #expect(kept.status == 0, "\(kept.err)")
        let baseline = try String(contentsOf: old.appendingPathComponent("results.jsonl"), encoding: .utf8)
        #expect(baseline.split(separator: "\n").count == 4)
        #expect(!baseline.contains("\"marginal\"") && !baseline.contains("\"trace\"") && baseline.contains("\"b2\""))

        let same = try bench(["compare", old.path, new.path])
        #expect(same.status == 0, "\(same.err)")
        #expect(same.out.contains("0 worse"))

        // Make b² of the h = 0.05 configuration 100 times larger in both seeds of NEW.
        let url = new.appendingPathComponent("results.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line -> String in
            guard line.contains("h=0.05|") else { return String(line) }
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var metrics = try #require(object["metrics"] as? [[String: Any]])
            for i in metrics.indices where metrics[i]["name"] as? String == "b2" {
                metrics[i]["value"] = (metrics[i]["value"] as! Double) * 100
            }
            object["metrics"] = metrics
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let worse = try bench(["compare", old.path, new.path])
        #expect(worse.status == 1)
        #expect(worse.err.contains("h=0.05") && worse.err.contains("b2"))
        #expect(!worse.err.contains("h=0.2|"))
        let report = try String(contentsOf: new.appendingPathComponent("compare.md"), encoding: .utf8)
        #expect(report.contains("1 worse"))
    }
}
