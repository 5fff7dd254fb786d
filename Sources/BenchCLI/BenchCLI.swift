import Foundation
import ArgumentParser
import Plugins
import Workbench

/// The `bench` command line as a library, so that an out-of-tree plugin package gets the same
/// tool with its own plugins registered (plugins/README.md):
///
/// ```swift
/// import BenchCLI
/// import Plugins
/// import Workbench
///
/// BenchCLI.main(registry: try Registry.builtin + [MySampler.plugin])
/// ```
///
/// The workbench's own `bench` executable is that line with `Registry.builtin` alone.
public enum BenchCLI {
    /// Builds the registry, then parses `arguments` (default: the process's) and runs the
    /// command, every one of which (`list`, `run`, `grid`, `report`, `new-plugin`) sees that
    /// registry. A registry that cannot be built (two plugins with one id) is a one-line error
    /// on standard error and exit status 64, before any command runs. Exits the process on
    /// errors, returns after a command that succeeded.
    public static func main(registry: @autoclosure () throws -> Registry, arguments: [String]? = nil) {
        ParentWatch.unblockSignals()  // SIGTERM stops bench whatever mask its starter left
        switch startUp(registry) {
        case .success(let registry):
            Bench.registry = registry
            runParsed(arguments)
        case .failure(let failure):
            printError(failure.message)
            exit(failure.status)
        }
    }

    /// Parses and runs the command. A value or option the parser refuses (a `--batching` that
    /// is neither iid nor epoch, a `--batch-size` that is neither n, full nor default) is one
    /// line on standard error, "bench: error: " and the parser's message naming the value and
    /// what is accepted, with exit status 64, like the commands' own usage errors; help and
    /// every other outcome are the parser's.
    static func runParsed(_ arguments: [String]?) {
        do {
            var command = try Bench.parseAsRoot(arguments)
            try command.run()
        } catch let error where !(error is ExitCode) && Bench.exitCode(for: error) == .validationFailure {
            let message = Bench.message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            printError("bench: error: \(message)")
            exit(ExitCode.validationFailure.rawValue)
        } catch {
            Bench.exit(withError: error)
        }
    }

    /// Why start-up failed: the line to print and the exit status.
    struct StartUpFailure: Error, Equatable {
        let message: String
        let status: Int32
    }

    /// The registry `make` builds, or the one-line message and exit status for its error.
    static func startUp(_ make: () throws -> Registry) -> Result<Registry, StartUpFailure> {
        do {
            return .success(try make())
        } catch let error as WorkbenchError {
            return .failure(StartUpFailure(message: "bench: error: \(error)", status: error.exitCode))
        } catch {
            return .failure(StartUpFailure(message: "bench: error: \(error)", status: 1))
        }
    }
}
