import Foundation
import ArgumentParser
import Plugins
import Workbench

/// `bench`: the command-line front of the workbench. Thin: parse, call, print.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark stochastic-gradient MCMC samplers on targets with known answers.",
        discussion: """
            Samplers, targets and diagnostics are plugins: `bench list` shows them. `bench run` runs \
            one sampler on one target; `bench grid` crosses many and writes a report; `bench report` \
            re-renders a report from its results; `bench diagnose` measures draws from any sampler.
            """,
        subcommands: [ListCommand.self, RunCommand.self, GridCommand.self, ReportCommand.self, MergeCommand.self, CompareCommand.self, KnownAnswersCommand.self,
                      RunCellCommand.self, DiagnoseCommand.self, ExportTargetCommand.self, NewPluginCommand.self, ReferenceCommand.self,
                      GradientCostCommand.self, BaselineCommand.self, PerfCommand.self])

    /// The plugins every command sees: set once by `BenchCLI.main` before parsing.
    nonisolated(unsafe) static var registry: Registry = .builtin
}

/// Runs `body`, turning a `WorkbenchError` into a one-line message on standard error and the
/// error's exit status (64 usage, 65 bad data), never a stack trace.
func reportingUserErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as WorkbenchError {
        printError("bench: error: \(error)")
        throw ExitCode(error.exitCode)
    } catch let fault as ExternalSamplerFault {
        // `bench run` of an external sampler whose child failed: the run failed (a grid records it).
        printError("bench: error: \(fault)")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    var stderr = StandardError()
    print(text, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
