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

    /// The done-when of issue 28 (item 5): a float32 (draws, chains, d) array, as JAX's
    /// `lax.scan` leaves it, read with `--layout draw,chain,dim` gives exactly the ESS of the
    /// float64 (chains, draws, d) file of the same numbers, and with `--gradient-evaluations`
    /// ESS per gradient = ESS / N. Without the layout the shape is flagged as transposed; a
    /// layout on a CSV or a two-axis file is refused.
    @Test func float32DrawsInScanLayoutGiveTheSameESSAndESSPerGradient() throws {
        let folder = try temporaryFolder()
        let (chains, draws, d) = (3, 400, 2)
        // An AR(1) chain per (chain, coordinate) driven by a fixed xorshift sequence, in float32
        // so that both files hold the same numbers.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Float {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        var values = [Float](repeating: 0, count: chains * draws * d)
        for c in 0..<chains {
            for j in 0..<d {
                var x: Float = 0
                for t in 0..<draws {
                    x = 0.8 * x + uniform()
                    values[(c * draws + t) * d + j] = x
                }
            }
        }
        func npy(_ descr: String, _ shape: [Int], _ payload: Data) -> Data {
            var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
            header += String(repeating: " ", count: (64 - (11 + header.utf8.count) % 64) % 64) + "\n"
            var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
            data.append(contentsOf: Array(header.utf8))
            return data + payload
        }
        var f64 = Data(), f32 = Data()
        for x in values { withUnsafeBytes(of: Double(x).bitPattern.littleEndian) { f64.append(contentsOf: $0) } }
        for t in 0..<draws {
            for c in 0..<chains {
                for j in 0..<d { withUnsafeBytes(of: values[(c * draws + t) * d + j].bitPattern.littleEndian) { f32.append(contentsOf: $0) } }
            }
        }
        let wide = folder.appendingPathComponent("chains.npy"), scan = folder.appendingPathComponent("scan.npy")
        try npy("<f8", [chains, draws, d], f64).write(to: wide)
        try npy("<f4", [draws, chains, d], f32).write(to: scan)
        let target = ["--target", "gaussian-iso", "--target-param", "dimension=2", "--diagnostics", "ess,ess-per-gradient", "--json"]
        let a = try bench(["diagnose", "--draws", wide.path, "--gradient-evaluations", "6000"] + target)
        let b = try bench(["diagnose", "--draws", scan.path, "--layout", "draw,chain,dim", "--gradient-evaluations", "6000"] + target)
        #expect(a.status == 0 && b.status == 0, "\(a.err)\(b.err)")
        #expect(try metrics(a.out) == metrics(b.out))
        func value(_ json: String, _ name: String) throws -> Double? {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let metrics = object?["metrics"] as? [[String: Any]] ?? []
            return metrics.first { $0["name"] as? String == name }?["value"] as? Double
        }
        let ess = try #require(try value(b.out, "ess-min"))
        // Equal to the last bits but for JSON parsing (Foundation's on Linux may differ by an ulp).
        let perGradient = try #require(try value(b.out, "ess-per-gradient"))
        #expect(abs(perGradient - ess / 6000) <= 1e-12 * perGradient)

        let flagged = try bench(["diagnose", "--draws", scan.path] + target)
        #expect(flagged.err.contains("more chains than draws") && flagged.err.contains("--layout draw,chain,dim"), "\(flagged.err)")
        let csv = folder.appendingPathComponent("d.csv")
        try Data("x[1],x[2]\n1,2\n3,4\n".utf8).write(to: csv)
        let refused = try bench(["diagnose", "--draws", csv.path, "--layout", "draw,chain,dim"] + target)
        #expect(refused.status == 64 && refused.err.contains("three axes"), "\(refused.err)")
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
        let header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1), }\n"
        npy.append(contentsOf: [UInt8(header.utf8.count), 0])
        npy.append(contentsOf: Array(header.utf8))
        npy.append(Data(count: 8))
        try expectBadFile("single.npy", npy, mentions: ["header field 'descr'", "'<i4'", "'<f8', '<f4', '<f2'"])
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
