import Foundation
import Testing
@testable import Workbench

@Suite struct GridSpecTests {
    @Test func fileDefaultsApplyAndUnknownFieldsAreRejected() throws {
        let spec = try JSONDecoder().decode(GridSpec.self, from: Data(#"{"stepSizes": [0.1], "steps": 100}"#.utf8))
        #expect(spec.samplers == ["all"] && spec.seeds == [1] && spec.chains == 4 && spec.batchSizes == [.targetDefault])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(GridSpec.self, from: Data(#"{"stepsizes": [0.1], "steps": 100}"#.utf8))
        }
    }

    @Test func malformedSpecFileNamesTheFileAndPlace() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-grid-\(UUID()).json").path
        try Data(#"{"stepSizes": ["a"], "steps": 100}"#.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try GridSpec.load(from: path)
            Issue.record("a malformed spec loaded")
        } catch let error as WorkbenchError {
            #expect(error.description.contains(path))
            #expect(error.description.contains("stepSizes[0]"))
            #expect(error.exitCode == 65)
        }
    }

    /// Cells nest target × sampler × step size × seed in a fixed order; a sampler without a
    /// step size gets one cell per seed; keys are unique.
    @Test func cellsAreTheCrossProductInAFixedOrder() throws {
        let spec = GridSpec(samplers: ["all"], targets: ["unit-gaussian"], stepSizes: [0.1, 0.2], seeds: [1, 2], steps: 10)
        let cells = try spec.cells(registry: testRegistry).map(\.cell)
        #expect(cells.count == 2 * 2 + 2)
        #expect(cells.map(\.sampler) == ["test-langevin", "test-langevin", "test-langevin", "test-langevin", "test-exact", "test-exact"])
        #expect(cells.map(\.stepSize) == [0.1, 0.1, 0.2, 0.2, nil, nil])
        #expect(Set(cells.map(\.key)).count == cells.count)
        #expect(try spec.cells(registry: testRegistry).map(\.cell.key) == cells.map(\.key))
    }

    @Test func batchSizesCollapseOnTargetsWithoutData() throws {
        let spec = GridSpec(samplers: ["test-langevin"], targets: ["unit-gaussian", "index-counting"], stepSizes: [0.1],
                            batchSizes: [.size(2), .size(5), .full], steps: 10)
        let cells = try spec.cells(registry: testRegistry).map(\.cell)
        #expect(cells.filter { $0.target == "unit-gaussian" }.map(\.batchSize) == [.full])
        #expect(cells.filter { $0.target == "index-counting" }.map(\.batchSize) == [2, 5, .full])
    }

    @Test func badValuesAreNamed() {
        #expect(throws: WorkbenchError.invalidValue(owner: "grid", name: "step size", value: "-0.1", accepted: "finite numbers > 0")) {
            try GridSpec(stepSizes: [-0.1], steps: 10).cells(registry: testRegistry)
        }
        #expect(throws: WorkbenchError.self) {
            try GridSpec(samplers: ["test-langevn"], stepSizes: [0.1], steps: 10).cells(registry: testRegistry)
        }
        let error = WorkbenchError.unknownID(kind: "sampler", id: "test-langevn", accepted: ["test-langevin", "test-exact"])
        #expect(error.description.contains("did you mean 'test-langevin'"))
        #expect(error.exitCode == 64)
    }
}

@Suite struct GridSpecFileTests {
    func write(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlAndJSONSpecsAreTheSameSpec() throws {
        let yaml = try write("""
            samplers: [test-langevin]
            targets: [unit-gaussian]
            stepSizes: [0.01, 0.1]
            batchSizes: [full]
            seeds: [1, 2]
            steps: 100
            hyperparameters:
              test-langevin: {unused: 0.5}
            """, "grid.yaml")
        let json = try write("""
            {"samplers": ["test-langevin"], "targets": ["unit-gaussian"], "stepSizes": [0.01, 0.1], "batchSizes": ["full"],
             "seeds": [1, 2], "steps": 100, "hyperparameters": {"test-langevin": {"unused": 0.5}}}
            """, "grid.json")
        let a = try GridSpec.load(from: yaml).cells(registry: testRegistry).map(\.cell)
        let b = try GridSpec.load(from: json).cells(registry: testRegistry).map(\.cell)
        #expect(a == b && a.count == 4)
    }

    @Test func malformedYAMLIsBadData() throws {
        let path = try write("stepSizes: [0.1\nsteps: 10\n", "bad.yml")
        #expect(throws: WorkbenchError.self) { try GridSpec.load(from: path) }
        do { _ = try GridSpec.load(from: path) } catch let e as WorkbenchError {
            #expect(e.exitCode == 65 && e.description.contains(path))
        }
    }
}
