import ArgumentParser
import Foundation
import Plugins
import Workbench

/// `bench known-answers DIR`: the known-answer gate (`KnownAnswerCheck`) on a results folder
/// run with the answers' preset; exits 1 when a pair misses its answer and is not a listed
/// known failure, or is listed but passes.
struct KnownAnswersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "known-answers",
        abstract: "Check a grid against known answers: every sampler healthy with b² within a bound, or a listed known failure.",
        discussion: """
            DIR must hold a finished `bench grid --preset <the answers' preset>` (the spec is checked \
            field by field). On each of the answers' targets every sampler that ran must have final cells \
            whose health is ok (DIAGNOSTICS.md "Health"; a tuning-boundary warning aside) and whose b² is \
            at most the answers' bound; a pair that does not is a failure unless the known-failures file \
            lists it with its reason, and a listed pair that passes is a failure too (remove the entry). \
            Writes DIR/known-answers.md.

            Exit status: 0 every pair passes or is a known failure; 1 otherwise; 64/65 a usage error or a \
            malformed file.
            Example (what .ci/run does):
              bench grid --preset known-answers --out reports/known-answers --overwrite
              bench known-answers reports/known-answers
            """)

    @Argument(help: "A finished results folder of the answers' preset.") var folder: String
    @Option(help: "The known answers (default: baselines/known-answers.json of the project).")
    var answers: String = ProjectPaths.root + "/baselines/known-answers.json"
    @Option(name: .customLong("known-failures"), help: "The known failures (default: baselines/known-failures.json of the project).")
    var knownFailures: String = ProjectPaths.root + "/baselines/known-failures.json"

    func run() throws {
        try reportingUserErrors {
            let answers = try KnownAnswers.load(from: self.answers)
            let failures = try KnownFailure.load(from: knownFailures)
            let (manifest, results, torn) = try ResultsFolder.load(folder)
            if torn > 0 {
                throw WorkbenchError.malformedData(path: ResultsFolder.resultsPath(folder), location: "last line",
                                                   problem: "torn write; finish the grid with `bench grid --resume` first")
            }
            let differences = try manifest.spec.differences(from: try GridPresets.named(answers.preset))
            if !differences.isEmpty {
                throw WorkbenchError.invalidValue(
                    owner: "bench known-answers", name: "the spec of \(folder)",
                    value: differences.map { "\($0.field) is \($0.new), the preset's \($0.old)" }.joined(separator: "; "),
                    accepted: "a folder run with `bench grid --preset \(answers.preset)` and no flag changing it")
            }
            let decisions = try TuningRecord.load(from: ResultsFolder.path(.tuning, in: folder)).decisions
            let keys = Set(results.map(\.key))
            if let missing = decisions.lazy.flatMap(\.finalCells).first(where: { !keys.contains($0) }) {
                throw WorkbenchError.invalidValue(
                    owner: "bench known-answers", name: "results of \(folder)", value: "no cell \(missing)",
                    accepted: "a finished grid (finish it with `bench grid --preset \(answers.preset) --out \(folder) --resume`)")
            }
            let check = KnownAnswerCheck(results: results, decisions: decisions, answers: answers, failures: failures)
            let report = check.markdown()
            try AtomicFile.write(text: "# Known answers: \(folder)\n\n" + answers.b2BoundReason + "\n\n" + report,
                                 to: folder + "/known-answers.md", describing: "the known-answer report")
            let failing = check.rows.filter(\.outcome.failsGate)
            let known = check.rows.filter { if case .knownFailure = $0.outcome { return true } else { return false } }
            print("known-answers: \(check.rows.count - failing.count - known.count) pass, \(known.count) known failures, "
                  + "\(failing.count) failing, \(check.unmatched.count) unmatched entries; wrote \(folder)/known-answers.md")
            for row in failing {
                switch row.outcome {
                case .failed(let why), .stale(let why): printError("known-answers: \(row.sampler) on \(row.target): \(why)")
                default: break
                }
            }
            for entry in check.unmatched {
                printError("known-answers: \(entry.sampler) on \(entry.target) is listed in \(knownFailures) but not in the folder")
            }
            if !check.passed { throw ExitCode(1) }
        }
    }
}
