import Foundation
import Testing
import Workbench
@testable import BenchCLI

/// `bench perf` without timing anything: option validation (one-line errors naming the value
/// and what is accepted), the summary statistics, goals, and the Markdown that keeps
/// hand-written notes. Timings are never asserted: benchmarks are not tests.
@Suite struct PerfCommandTests {
    func settingsError(_ arguments: [String]) throws -> WorkbenchError? {
        let command = try PerfCommand.parse(arguments)
        do {
            _ = try command.settings(registry: .builtin)
            return nil
        } catch let error as WorkbenchError {
            return error
        }
    }

    @Test func badOptionsAreOneLineErrorsNamingTheValue() throws {
        let unknown = try #require(try settingsError(["--only", "steps,grdi"]))
        #expect("\(unknown)".contains("'grdi'") && "\(unknown)".contains("did you mean 'grid'?")
                && "\(unknown)".contains("accepted: steps, bnn, diagnostics, grid, memory, chains, external, all"))
        #expect(unknown.exitCode == 64)
        let empty = try #require(try settingsError(["--only", "steps,"]))
        #expect("\(empty)".contains("invalid --only 'steps,'"))
        let repetitions = try #require(try settingsError(["--repetitions", "0"]))
        #expect("\(repetitions)" == "bench perf: invalid --repetitions '0'; accepted: a whole number ≥ 1")
        for scale in ["0", "1.5", "-1", "nan"] {
            let error = try #require(try settingsError(["--scale=\(scale)"]))
            #expect("\(error)".contains("invalid --scale") && "\(error)".contains("(0, 1]"))
        }
        let folder = try #require(try settingsError(["--markdown", "/no/such/folder/B.md"]))
        #expect("\(folder)".contains("/no/such/folder/B.md") && "\(folder)".contains("folder does not exist"))
        #expect(try settingsError(["--only", "grid,steps", "--repetitions", "2", "--scale", "0.5"]) == nil)
    }

    /// `--peers FILE`: BlackJAX's rows are matched to ours by key and unit; a missing or
    /// malformed file, or a bad median, is a one-line error naming the file.
    @Test func peerResultsAreMatchedByKeyAndUnit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("peers-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = folder + "/blackjax.json"
        try """
            {"tool": "blackjax", "versions": {"jax": "0.10.2"}, "date": "today",
             "rows": [{"key": "chains/sgld/std-normal-1d/64", "unit": "ns/chain-step", "median": 54.0, "steps": 10}]}
            """.write(toFile: good, atomically: true, encoding: .utf8)
        let peers = try PeerResults.load(good)
        #expect(peers.comparison(key: "chains/sgld/std-normal-1d/64", unit: "ns/chain-step", median: 9)
                == "blackjax 54.0 ns/chain-step: 6.0× ours")
        #expect(peers.comparison(key: "chains/sgld/std-normal-1d/64", unit: "µs/chain-step", median: 9) == nil)
        #expect(peers.comparison(key: "chains/sgld/std-normal-1d/8", unit: "ns/chain-step", median: 9) == nil)
        #expect(peers.source.contains("blackjax (jax 0.10.2)") && peers.source.contains(good))
        #expect(try settingsError(["--peers", good]) == nil)

        let missing = try #require(try settingsError(["--peers", folder + "/none.json"]))
        #expect("\(missing)".contains("none.json") && "\(missing)".contains("cannot be read"))
        let malformed = folder + "/malformed.json"
        try "{\"rows\": 3}".write(toFile: malformed, atomically: true, encoding: .utf8)
        let bad = try #require(try settingsError(["--peers", malformed]))
        #expect("\(bad)".contains("malformed.json") && "\(bad)".contains("blackjax_chains.py --json"))
        let negative = folder + "/negative.json"
        try #"{"tool": "blackjax", "rows": [{"key": "k", "unit": "ns", "median": -1}]}"#.write(toFile: negative, atomically: true, encoding: .utf8)
        let median = try #require(try settingsError(["--peers", negative]))
        #expect("\(median)".contains("row k has the median -1.0") && "\(median)".contains("a positive number"))
    }

    @Test func sectionsAreParsedInCanonicalOrder() throws {
        #expect(try PerfSection.parse("memory,steps") == [.steps, .memory])
        #expect(try PerfSection.parse("all") == PerfSection.allCases)
    }

    @Test func summariesAndGoals() {
        let summary = PerfSummary([5, 1, 3, 10])
        #expect(summary.median == 4 && summary.min == 1 && summary.max == 10)
        #expect(summary.mad == 2)  // |x − 4| = 1, 3, 1, 6: the median of [1, 1, 3, 6] is 2
        #expect(PerfSummary([3, 1, 2]).median == 2)
        #expect(PerfGoal.atMost(13, "").isMet(by: 12) && !PerfGoal.atMost(13, "").isMet(by: 14))
        #expect(PerfGoal.atLeast(1.8, "").isMet(by: 1.9) && PerfGoal.atMost(10, "").shortfall(of: 25) == 2.5)
    }

    @Test func markdownKeepsHandWrittenNotes() throws {
        let row = PerfRow(section: "grid", key: "grid/speedup", label: "speed-up", unit: "×", summary: PerfSummary([1.5, 1.7, 1.6]),
                          goal: .atLeast(1.8, "issue 9"), detail: nil, command: "bench perf --only grid")
        let report = PerfReport(machine: .init(cpu: "test cpu", cores: 2, memoryGB: 8, loadAtStart: 0.1, loadAtEnd: 0.2),
                                date: "today", revision: "abc", repetitions: 3, scale: 1, rows: [row])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("perf-\(UUID()).md").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try report.markdown(notes: "## Notes\n\nkept\n").write(toFile: file, atomically: true, encoding: .utf8)
        let notes = try #require(PerfReport.notes(in: file))
        #expect(notes == "## Notes\n\nkept\n")
        let text = report.markdown(notes: notes)
        #expect(text.contains("| speed-up | 1.60 × | 1.50 – 1.70 | ≥ 1.80 × (issue 9) | missed (1.12× off) | `bench perf --only grid` |"))
        #expect(text.contains("test cpu, 2 cores") && text.hasSuffix("## Notes\n\nkept\n"))
    }
}
