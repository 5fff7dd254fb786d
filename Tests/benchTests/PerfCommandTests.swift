import Foundation
import Testing

/// `bench perf` end to end at a tiny scale: the JSON has a row per measurement with the
/// documented fields, the memory child reports a peak, and a bad section is a usage error.
/// Numbers are never asserted beyond being positive: benchmarks are not tests.
@Suite struct PerfCommandTests {
    @Test func tinyRunGivesRowsWithMediansAndCommands() throws {
        let (status, out, err) = try bench(["perf", "--only", "steps,memory", "--scale", "0.0001", "--repetitions", "1", "--json"])
        #expect(status == 0, "\(err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        let keys = rows.compactMap { $0["key"] as? String }
        #expect(keys.contains("sgld/std-normal-1d") && keys.contains("sgld/gaussian-iso")
                && keys.contains("memory/sgld-gaussian-iso-1e7-thin100"))
        for row in rows {
            let values = try #require((row["summary"] as? [String: Any])?["values"] as? [Double])
            #expect(values.count == 1 && values[0] > 0, "\(row)")
            #expect((row["command"] as? String)?.contains("bench ") == true)
        }
        let machine = try #require(object["machine"] as? [String: Any])
        #expect((machine["cores"] as? Int ?? 0) >= 1)
    }

    @Test func unknownSectionIsAUsageError() throws {
        let (status, out, err) = try bench(["perf", "--only", "gird"])
        #expect(status == 64 && out.isEmpty)
        #expect(err.contains("unknown perf section 'gird'") && err.contains("did you mean 'grid'"))
    }
}
