import Foundation
import Testing

/// `bench diagnose`: draws from any sampler, in .npy or CSV, give the same metrics, and bad
/// files are one-line errors naming the place, exit 65.
@Suite struct DiagnoseTests {
    func metrics(_ json: String) throws -> Data {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try JSONSerialization.data(withJSONObject: try #require(object["metrics"]), options: .sortedKeys)
    }

    /// The same seeded run exported as .npy and as CSV gives identical metrics, every one of
    /// them, and the run's own draws are read back as 3 chains × 150 draws.
    @Test func csvAndNpyOfTheSameDrawsGiveIdenticalMetrics() throws {
        let folder = try temporaryFolder()
        let run = ["run", "--sampler", "sgld", "--target", "gaussian-iso", "--target-param", "dimension=4",
                   "--steps", "200", "--warmup", "50", "--step-size", "0.3", "--chains", "3", "--diagnostics", "ess"]
        for name in ["d.npy", "d.csv"] {
            let (code, _, err) = try bench(run + ["--export-draws", folder.appendingPathComponent(name).path])
            #expect(code == 0, "\(err)")
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("d.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("chain,x[1],x[2],x[3],x[4]\n0,"))
        var outputs: [Data] = []
        for name in ["d.npy", "d.csv"] {
            let (code, out, err) = try bench(["diagnose", "--draws", folder.appendingPathComponent(name).path,
                                              "--target", "gaussian-iso", "--target-param", "dimension=4", "--json"])
            #expect(code == 0, "\(err)")
            #expect(out.contains("\"chains\":3") && out.contains("\"steps\":150"))
            outputs.append(try metrics(out))
        }
        #expect(outputs[0] == outputs[1])
        let text = String(decoding: outputs[0], as: UTF8.self)
        for name in ["bulk-ess-min", "ks-p-min", "ksd", "mmd2", "gradients-to-accuracy", "diverged"] {
            #expect(text.contains("\"\(name)\""), "missing \(name)")
        }
        let (code, table, _) = try bench(["diagnose", "--draws", folder.appendingPathComponent("d.csv").path,
                                          "--target", "gaussian-iso", "--target-param", "dimension=4", "--diagnostics", "ess-per-gradient"])
        #expect(code == 0)
        #expect(table.contains("gradients   unknown") && table.contains("ess-per-gradient.ess-per-gradient"))
        #expect(table.contains("undefined      draws per full gradient (higher is better)"))
    }

    func expectBadFile(_ name: String, _ contents: Data, target: [String] = ["--target", "std-normal-1d"],
                       status: Int32 = 65, mentions: [String]) throws {
        let path = try temporaryFolder().appendingPathComponent(name).path
        try contents.write(to: URL(fileURLWithPath: path))
        let (code, out, err) = try bench(["diagnose", "--draws", path] + target)
        #expect(code == status, "\(name): exit \(code), stderr: \(err)")
        #expect(out.isEmpty)
        for text in mentions { #expect(err.contains(text), "\(name): stderr lacks '\(text)': \(err)") }
        #expect(err.split(separator: "\n").count == 1 && !err.contains("Fatal error"))
    }

    @Test func malformedFilesNameThePlace() throws {
        try expectBadFile("cells.csv", Data("chain,x\n0,1.5\n0,abc\n".utf8),
                          mentions: ["cells.csv: line 3, column 2 (field 'x')", "'abc' is not a number"])
        try expectBadFile("wide.csv", Data("x,y\n1,2\n".utf8),
                          mentions: ["line 1 (header)", "2 coordinate columns (x, y)", "the target has d = 1"])
        try expectBadFile("ragged.csv", Data("x\n1\n2,3\n".utf8), mentions: ["line 3", "2 fields; the header has 1"])
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }\n"
        npy.append(contentsOf: [UInt8(header.utf8.count), 0])
        npy.append(contentsOf: Array(header.utf8))
        npy.append(Data(count: 8))
        try expectBadFile("single.npy", npy, mentions: ["header field 'descr'", "'<f4'", "'<f8'"])
        try expectBadFile("draws.txt", Data("x\n1\n".utf8), status: 64, mentions: ["extension", ".npy", ".csv"])
    }

    /// Crafted shapes whose sizes overflow (issue 27, F8) are exit 65 naming the shape, never
    /// an arithmetic trap (exit 132): the product of the axes, its byte count, and a product
    /// that wraps round to the few bytes the file holds.
    @Test func overflowingShapesAreMalformedData() throws {
        func crafted(_ shape: String, values: Int) -> Data {
            var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
            let header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }\n"
            npy.append(contentsOf: [UInt8(header.utf8.count), 0])
            npy.append(contentsOf: Array(header.utf8))
            npy.append(Data(count: 8 * values))
            return npy
        }
        let gaussian8 = ["--target", "gaussian-iso", "--target-param", "dimension=8"]
        try expectBadFile("bytes.npy", crafted("(2305843009213693952, 1)", values: 0), target: gaussian8,
                          mentions: ["bytes.npy: header field 'shape'", "(2305843009213693952, 1)"])
        try expectBadFile("wraps.npy", crafted("(4611686018427387905, 4, 1)", values: 4),
                          mentions: ["header field 'shape'", "(4611686018427387905, 4, 1)"])
        try expectBadFile("wraps8.npy", crafted("(2305843009213693953, 8)", values: 8), target: gaussian8,
                          mentions: ["header field 'shape'", "(2305843009213693953, 8)"])
    }
}
