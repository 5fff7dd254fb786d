import Foundation
import Testing

/// `bench compare` passes an identical run and flags an injected regression (exit 1).
@Suite struct CompareCommandTests {
    @Test func identicalRunsPassAndAnInjectedRegressionFails() throws {
        let old = try temporaryFolder(), new = try temporaryFolder()
        let (code, _, err) = try bench(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.05,0.2",
                                        "--seeds", "1,2", "--steps", "5000", "--chains", "2", "--out", old.path])
        #expect(code == 0, "\(err)")
        for name in ["results.jsonl", "grid.json"] {
            try FileManager.default.copyItem(at: old.appendingPathComponent(name), to: new.appendingPathComponent(name))
        }
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
