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

    /// Issue 27, F7: a NEW that lacks a seed of a shared configuration is not comparable (3),
    /// as are runs whose specs differ in a field that changes numbers (steps) or a folder
    /// without grid.json, each unless allowed; an empty --metrics is a usage error; compare.md
    /// escapes the `|` of keys.
    @Test func incompleteOrDifferentRunsAreNotComparable() throws {
        func grid(_ steps: String, seeds: String = "1,2") throws -> URL {
            let folder = try temporaryFolder()
            let run = try bench(["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1",
                                 "--seeds", seeds, "--steps", steps, "--chains", "2", "--out", folder.path])
            #expect(run.status == 0, "\(run.err)")
            return folder
        }
        func copy(_ folder: URL, keeping keep: (String) -> Bool, manifest: Bool = true) throws -> URL {
            let copy = try temporaryFolder()
            if manifest {
                try FileManager.default.copyItem(at: folder.appendingPathComponent("grid.json"), to: copy.appendingPathComponent("grid.json"))
            }
            let lines = try String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8)
                .split(separator: "\n").map(String.init).filter(keep)
            try (lines.joined(separator: "\n") + "\n").write(to: copy.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)
            return copy
        }
        let reference = try grid("2000")
        let lacksSeed = try copy(reference) { !$0.contains("seed=2") }
        let missing = try bench(["compare", reference.path, lacksSeed.path])
        #expect(missing.status == 3, "\(missing.out) \(missing.err)")
        #expect(missing.err.contains("1 seeds of shared configurations only in \(reference.path)") && missing.err.contains("seed=2"),
                "\(missing.err)")
        #expect(try bench(["compare", reference.path, lacksSeed.path, "--allow-missing"]).status == 0)
        let markdown = try String(contentsOf: lacksSeed.appendingPathComponent("compare.md"), encoding: .utf8)
        #expect(markdown.contains("sgld\\|std-normal-1d\\|h=0.1") && !markdown.contains("sgld|std"), "\(markdown)")

        let empty = try bench(["compare", reference.path, reference.path, "--metrics", ""])
        #expect(empty.status == 64 && empty.err.contains("--metrics"), "\(empty.err)")

        let longer = try grid("4000")
        let changed = try bench(["compare", reference.path, longer.path])
        #expect(changed.status == 3 && changed.err.contains("steps was 2000, now 4000") && changed.err.contains("--allow-spec-change"),
                "\(changed.err)")
        let allowed = try bench(["compare", reference.path, longer.path, "--allow-spec-change"])
        #expect(allowed.status != 3 && allowed.err.contains("note: ") && allowed.err.contains("steps was 2000, now 4000"),
                "\(allowed.err)")
        // Fields that select cells may differ: their cells show as missing instead.
        let oneSeed = try grid("2000", seeds: "1")
        let fewer = try bench(["compare", reference.path, oneSeed.path])
        #expect(fewer.status == 3 && fewer.err.contains("seeds of shared configurations") && !fewer.err.contains("specs differ"),
                "\(fewer.err)")

        let noManifest = try copy(reference, keeping: { _ in true }, manifest: false)
        let unchecked = try bench(["compare", reference.path, noManifest.path])
        #expect(unchecked.status == 3 && unchecked.err.contains("has no grid.json"), "\(unchecked.err)")
        #expect(try bench(["compare", reference.path, noManifest.path, "--allow-spec-change"]).status == 0)
    }
}
