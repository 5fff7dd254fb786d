import Foundation
import Testing
@testable import Workbench

@Suite struct FormatTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
    }

    @Test func npyHeaderAndDataFollowTheFormat() throws {
        let path = temporaryPath("draws.npy")
        let values = (0..<24).map { Double($0) / 4 }
        try NpyWriter.write(values, shape: [2, 3, 4], to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(data.prefix(8)) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': '<f8'") && header.contains("'fortran_order': False") && header.contains("'shape': (2, 3, 4)"))
        #expect(header.hasSuffix("\n"))
        #expect(data.count == 10 + headerLength + 24 * 8)
        let payload = data.suffix(24 * 8)
        let decoded = (0..<24).map { k in
            Double(bitPattern: payload.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) })
        }
        #expect(decoded == values)
    }

    func sampleResult(seed: UInt64) throws -> CellResult {
        let cell = Cell(sampler: "test-langevin", target: "unit-gaussian", stepSize: 0.1, seed: seed, chains: 2, steps: 200)
        let (run, reference) = try CellRunner(registry: testRegistry).run(cell)
        let provenance = Provenance(revision: "r", toolchain: "t", libraries: [:], host: "h", date: "d")
        return CellResult(run: run, reference: reference, diagnostics: [], provenance: provenance)
    }

    @Test func resultsRoundTripAndATornLastLineIsSkipped() throws {
        let store = ResultStore(path: temporaryPath("results.jsonl"))
        try store.append(try sampleResult(seed: 1))
        try store.append(try sampleResult(seed: 2))
        let (loaded, torn) = try store.load()
        #expect(loaded.map(\.seed) == [1, 2] && torn == 0)
        try store.appendTornLine()
        let (again, tornAgain) = try store.load()
        #expect(again.count == 2 && tornAgain == 1)
    }

    @Test func malformedResultLineIsNamed() throws {
        let path = temporaryPath("results.jsonl")
        try Data("{\"not\": \"a result\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: WorkbenchError.self) { try ResultStore(path: path).load() }
        do { _ = try ResultStore(path: path).load() } catch let e as WorkbenchError {
            #expect(e.description.contains("line 1") && e.exitCode == 65)
        }
    }
}
