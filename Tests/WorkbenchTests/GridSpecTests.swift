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

    /// Issue 27: a key written twice in a JSON spec (even escaped differently) is refused
    /// naming the key and lines, and a number out of its field's range is named with its
    /// field, line and the range instead of "not valid JSON"; both exit 65.
    @Test func duplicateKeysAndOutOfRangeNumbersAreNamed() throws {
        func error(_ json: String) -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID()).json").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
            do {
                _ = try GridSpec.load(from: path)
                return "loaded"
            } catch let error as WorkbenchError {
                #expect(error.exitCode == 65, "\(error)")
                return error.description
            } catch {
                return "\(error)"
            }
        }
        let head = "{\"stepSizes\": [0.1],\n"
        let twice = error(head + "\"steps\": 100, \"samplers\": [\"a\"],\n\"steps\": 200}")
        #expect(twice.contains("line 3: key 'steps' appears twice in the top-level object, first on line 2"), "\(twice)")
        let escaped = error(head + "\"steps\": 1, \"hyperparameters\": {\"x\": {\"a\\u0062\": 1, \"ab\": 2}}}")
        #expect(escaped.contains("key 'ab' appears twice in the object at hyperparameters.x"), "\(escaped)")
        #expect(error(head + "\"steps\": 1, \"note\": {\"a\\\"\": 1, \"a\": 2}}").contains("unknown field 'note'"))
        let cases: [(String, String)] = [
            ("\"steps\": 1, \"seeds\": [2, -1]", "at seeds[1], line 2: -1 is out of range for this field; accepted: a whole number from 0 to 18446744073709551615"),
            ("\"steps\": 1000.5", "at steps, line 2: 1000.5 is out of range for this field; accepted: a whole number from -9223372036854775808"),
            ("\"steps\": 1e30", "at steps, line 2: 1e30 is out of range"),
            ("\"steps\": 1, \"seeds\": [18446744073709551616]", "at seeds[0], line 2: 18446744073709551616 is out of range"),
            ("\"steps\": 1, \"gradientBudget\": 1e400", "at gradientBudget, line 2: 1e400 is out of range for this field; accepted: a number of magnitude"),
        ]
        for (fields, message) in cases {
            let text = error(head + fields + "}")
            #expect(text.contains(message), "\(text)")
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
