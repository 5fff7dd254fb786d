import Foundation
import Testing
@testable import Workbench

/// Draws files: `.npy` and CSV round-trips, and malformed files rejected with the place named.
@Suite struct DrawsFormatTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    }

    /// Values that stress the text form: tiny, huge, negative zero, many digits.
    func awkwardValues(_ count: Int) -> [Double] {
        var rng = Xoshiro256StarStar(seed: 12)
        let special: [Double] = [1e-300, -2.5e300, -0.0, 0.1, 1.0 / 3, 123456789.123456789, .leastNonzeroMagnitude]
        return (0..<count).map { $0 < special.count ? special[$0] : rng.normal() * pow(10, Double(rng.integer(below: 20)) - 10) }
    }

    func expectMalformed(_ body: () throws -> Void, location: String, mentions: String) {
        do {
            try body()
            Issue.record("expected a malformed-data error at \(location)")
        } catch let error as WorkbenchError {
            #expect(error.exitCode == 65, "\(error)")
            #expect(error.description.contains(location), "\(error) lacks '\(location)'")
            #expect(error.description.contains(mentions), "\(error) lacks '\(mentions)'")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func npyRoundTripsInBothShapes() throws {
        let values = awkwardValues(2 * 5 * 3)
        let path = temporaryPath("draws.npy")
        try NpyWriter.write(values, shape: [2, 5, 3], to: path)
        let read = try NpyReader.readDraws(path, dimension: 3)
        #expect(read.chains == 2 && read.draws == 5 && read.dimension == 3)
        #expect(read.values.map(\.bitPattern) == values.map(\.bitPattern))
        try NpyWriter.write(values, shape: [10, 3], to: path)
        let one = try NpyReader.readDraws(path)
        #expect(one.chains == 1 && one.draws == 10 && one.dimension == 3 && one.values == values)
    }

    /// A version 2.0 header (4-byte length), as numpy writes for very long headers.
    @Test func npyVersion2IsRead() throws {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [2, 0])
        let length = UInt32(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), 0, 0])
        data.append(contentsOf: Array(header.utf8))
        for v in [1.5, -2.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        let (shape, values) = try NpyReader.parse(data, path: "v2.npy")
        #expect(shape == [2, 1] && values == [1.5, -2.0])
    }

    func npy(header: String, payload: Int) -> Data {
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(Data(count: payload))
        return data
    }

    /// float32 (JAX's default) and float16 are read exactly: every such number is a Double.
    @Test func float32AndFloat16AreReadExactly() throws {
        let singles: [Float] = [1.5, -0.1, 3.4028235e38, 1e-45]
        var data = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", payload: 0)
        for x in singles { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        let (shape, values) = try NpyReader.parse(data, path: "f4.npy")
        #expect(shape == [2, 2] && values == singles.map(Double.init))
        let halves: [Float16] = [0.5, -2.25, 65504, 0.0001]
        var half = npy(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", payload: 0)
        for x in halves { withUnsafeBytes(of: x.bitPattern.littleEndian) { half.append(contentsOf: $0) } }
        #expect(try NpyReader.parse(half, path: "f2.npy").values == halves.map(Double.init))
    }

    @Test func malformedNpyIsRejectedWithThePlace() throws {
        func parse(_ data: Data) throws { _ = try NpyReader.parse(data, path: "bad.npy") }
        expectMalformed({ try parse(npy(header: "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 2), }", payload: 32)) },
                        location: "header field 'descr'", mentions: "big-endian")
        expectMalformed({ try parse(npy(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", payload: 32)) },
                        location: "header field 'descr'", mentions: "'<i8'")
        expectMalformed({ try parse(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", payload: 12)) },
                        location: "data (byte", mentions: "needs 4 × 4 = 16")
        expectMalformed({ try parse(npy(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", payload: 32)) },
                        location: "header field 'fortran_order'", mentions: "Fortran")
        expectMalformed({ try parse(npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", payload: 24)) },
                        location: "data (byte", mentions: "needs 4 × 8 = 32")
        expectMalformed({ try parse(Data("chain,x\n0,1\n".utf8)) }, location: "byte 0", mentions: "magic")
        let path = temporaryPath("four.npy")
        try NpyWriter.write([Double](repeating: 0, count: 16), shape: [2, 2, 2, 2], to: path)
        expectMalformed({ _ = try NpyReader.readDraws(path) }, location: "header field 'shape'", mentions: "4 axes")
        try NpyWriter.write([Double](repeating: 0, count: 12), shape: [2, 2, 3], to: path)
        expectMalformed({ _ = try NpyReader.readDraws(path, dimension: 100) }, location: "header field 'shape'",
                        mentions: "the target has d = 100")
    }

    @Test func csvRoundTripsExactly() throws {
        let values = awkwardValues(3 * 4 * 2)
        let draws = DrawsArray(chains: 3, draws: 4, dimension: 2, values: values, names: ["mu", "tau, raw"])
        let path = temporaryPath("draws.csv")
        try DrawsFile.write(draws, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("chain,mu,\"tau, raw\"\n0,"))
        let read = try DrawsFile.read(path, dimension: 2)
        #expect(read.chains == 3 && read.draws == 4 && read.names == ["mu", "tau, raw"])
        #expect(read.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    /// Rows of interleaved chains are grouped by label in order of first appearance; `draw`
    /// columns, comments, CRLF and blank lines are accepted; no chain column means one chain.
    @Test func csvLayoutsAreRead() throws {
        let text = "# from Stan\r\ndraw,x,chain,y\r\n0,1,b,10\r\n0,2,a,20\r\n\r\n1,3,b,30\r\n1,4,a,40\r\n"
        let read = try DrawsCSV.parse(Data(text.utf8), path: "t.csv")
        #expect(read.chains == 2 && read.draws == 2 && read.names == ["x", "y"])
        #expect(read.values == [1, 10, 3, 30, 2, 20, 4, 40])
        let single = try DrawsCSV.parse(Data("\"x[1]\",x[2]\n1e-3,-inf\nnan,2\n".utf8), path: "t.csv")
        #expect(single.chains == 1 && single.draws == 2 && single.names == ["x[1]", "x[2]"])
        #expect(single.values[0] == 1e-3 && single.values[1] == -.infinity && single.values[2].isNaN)
    }

    /// A UTF-8 byte-order mark (Excel's "CSV UTF-8") does not hide the chain column, nor make
    /// a data table's first number unreadable (issue 27).
    @Test func byteOrderMarkIsSkipped() throws {
        let read = try DrawsCSV.parse(Data([0xEF, 0xBB, 0xBF] + Array("chain,x\n0,1\n1,2\n".utf8)), path: "bom.csv")
        #expect(read.chains == 2 && read.draws == 1 && read.names == ["x"] && read.values == [1, 2])
        let table = try NumericTable.parse("\u{FEFF}1.5 2\n3 4\n", path: "bom.txt")
        #expect(table.rows == 2 && table.columns == 2 && table.values == [1.5, 2, 3, 4])
    }

    /// Shapes whose sizes overflow are malformed data naming the shape (issue 27, F8); the
    /// file's size is checked against the shape before the values are allocated.
    @Test func overflowingNpyShapesAreRejected() throws {
        func parse(_ shape: String, payload: Int) throws {
            _ = try NpyReader.parse(npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }", payload: payload),
                                    path: "crafted.npy")
        }
        expectMalformed({ try parse("(2305843009213693952, 1)", payload: 0) }, location: "header field 'shape'",
                        mentions: "shape (2305843009213693952, 1) holds 2305843009213693952 values")
        expectMalformed({ try parse("(4611686018427387905, 4, 1)", payload: 32) }, location: "header field 'shape'",
                        mentions: "(4611686018427387905, 4, 1)")
        expectMalformed({ try parse("(2305843009213693953, 8)", payload: 64) }, location: "header field 'shape'",
                        mentions: "(2305843009213693953, 8)")
        expectMalformed({ try parse("(1000000, 1000)", payload: 64) }, location: "data (byte", mentions: "needs 1000000000 × 8")
    }

    @Test func malformedCSVIsRejectedWithThePlace() {
        func parse(_ text: String, dimension: Int? = nil) throws { _ = try DrawsCSV.parse(Data(text.utf8), path: "bad.csv", dimension: dimension) }
        expectMalformed({ try parse("chain,x,y\n0,1,2\n0,1,abc\n") }, location: "line 3, column 3 (field 'y')", mentions: "'abc' is not a number")
        expectMalformed({ try parse("x,y\n1,\n") }, location: "line 2, column 2 (field 'y')", mentions: "empty cell")
        expectMalformed({ try parse("x,y\n1,2\n3\n") }, location: "line 3", mentions: "1 fields; the header has 2")
        expectMalformed({ try parse("chain,x\n0,1\n0,2\n1,3\n") }, location: "column 1 (field 'chain')", mentions: "0: 2, 1: 1")
        expectMalformed({ try parse("x,y\n1,2\n", dimension: 3) }, location: "line 1 (header)", mentions: "the target has d = 3")
        expectMalformed({ try parse("chain\n0\n") }, location: "line 1 (header)", mentions: "no coordinate columns")
        expectMalformed({ try parse("x\n") }, location: "line 2", mentions: "no draws")
        expectMalformed({ try parse("") }, location: "line 1", mentions: "empty")
        expectMalformed({ try parse("x\n1.5.2\n") }, location: "line 2, column 1 (field 'x')", mentions: "not a number")
    }

    @Test func unknownExtensionIsAUsageError() {
        #expect(throws: WorkbenchError.self) { try DrawsFile.read("draws.txt") }
        #expect((try? DrawsFile.format(of: "a/B.NPY")) == .npy)
    }

    /// Imported chains keep all draws; a non-finite draw stops its chain there, as divergence.
    @Test func importedDrawsBecomeARunRecord() throws {
        let values: [Double] = [0, 1, 2, 3, .nan, 5, 6, 7, 8, 9]
        let draws = DrawsArray(chains: 2, draws: 5, dimension: 1, values: values)
        let record = try RunRecord(importing: draws, from: "x.csv", target: UnitGaussian(dimension: 1),
                                   targetOptions: ResolvedParameters([:], specs: [], owner: "t"))
        #expect(record.chains[0].drawCount == 4 && record.chains[0].divergenceStep == 4)
        #expect(record.chains[1].drawCount == 5 && record.chains[1].divergenceStep == nil)
        #expect(record.gradientCount == nil && record.stepCount == nil && record.knownWallSeconds == nil)
        #expect(record.diverged && record.healthyChains.count == 1)
        #expect(record.chains[1].checkpoints.counts.isEmpty)
        #expect(record.chains[1].moments.mean == [7])
    }
}

/// The step-size sweep.
@Suite struct StepSizeSweepTests {
    func result(stepSize: Double, seed: UInt64, diverged: Int) throws -> CellResult {
        let cell = Cell(sampler: "s", target: "t", stepSize: stepSize, seed: seed, chains: 2, steps: 10)
        var chains = (0..<2).map { _ in ChainRecord(dimension: 1, thin: 1, maxDraws: 4) }
        for c in 0..<diverged { chains[c].divergenceStep = 3 }
        let none = try ResolvedParameters([:], specs: [], owner: "t")
        let run = RunRecord(cell: cell, hyperparameters: none, targetOptions: none, dimension: 1, dataSize: 1,
                            parameterNames: ["x"], chains: chains, perDatumGradientEvaluations: 0,
                            potentialEvaluations: 0, wallSeconds: 0)
        let reference = UnitGaussian(dimension: 1).reference
        return CellResult(run: run, reference: reference, diagnostics: [],
                          provenance: Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d"))
    }

    /// h = 0.1 never diverges, 0.2 in one of four chains, 0.4 in all: max stable 0.1; rates 0,
    /// ¼, 1.
    @Test func sweepFindsTheMaxStableStepSize() throws {
        let results = try [
            result(stepSize: 0.2, seed: 1, diverged: 1), result(stepSize: 0.1, seed: 1, diverged: 0),
            result(stepSize: 0.4, seed: 1, diverged: 2), result(stepSize: 0.1, seed: 2, diverged: 0),
            result(stepSize: 0.2, seed: 2, diverged: 0), result(stepSize: 0.4, seed: 2, diverged: 2),
        ]
        let sweeps = StepSizeSweep.sweeps(results)
        #expect(sweeps.count == 1)
        #expect(sweeps[0].points.map(\.stepSize) == [0.1, 0.2, 0.4])
        #expect(sweeps[0].points.map(\.divergenceRate) == [0, 0.25, 1])
        #expect(sweeps[0].maxStableStepSize == 0.1)
    }
}
