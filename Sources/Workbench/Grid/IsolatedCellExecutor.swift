import Foundation

/// What a child process needs to run one cell: the cell, the diagnostic ids, and the
/// parent's provenance (so every result of a grid carries the same one).
public struct CellJob: Codable, Sendable {
    public let cell: Cell
    public let diagnostics: [String]
    public let provenance: Provenance
    /// Where to write the cell's draws, if the grid exports them.
    public let exportDraws: GridRunner.DrawsExport?
    /// The cell's share of the grid's cores (``ComputeThreads``); nil: all of them.
    public let threads: Int?

    public init(cell: Cell, diagnostics: [String], provenance: Provenance, exportDraws: GridRunner.DrawsExport? = nil,
                threads: Int? = nil) {
        self.cell = cell
        self.diagnostics = diagnostics
        self.provenance = provenance
        self.exportDraws = exportDraws
        self.threads = threads
    }
}

/// Runs each cell in a child process (`bench --isolate`): `executable` is started with
/// `arguments` (e.g. the bench binary itself with `run-cell`), gets the `CellJob` as JSON on
/// standard input, and must print the `CellResult` as JSON on standard output.
///
/// A plugin that traps or crashes takes down only its child: the cell is recorded as
/// `crashed` with the signal; a child that exits non-zero is `failed` with the last line it
/// wrote to standard error. Either way the grid goes on.
///
/// Children die with the grid: each gets the parent's pid in `ParentWatch.variable`, and the
/// child side (`ParentWatch.dieWithParent()`, first thing in `bench run-cell`) has the kernel
/// kill it when its parent goes, so a grid stopped by SIGTERM, SIGINT or SIGKILL leaves no
/// cell running on its own.
public struct IsolatedCellExecutor: Sendable {
    public let executable: URL
    public let arguments: [String]

    public init(executable: URL, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    public func callAsFunction(_ job: CellJob) -> CellResult {
        let start = Date()
        func broken(_ status: CellResult.Status, _ message: String) -> CellResult {
            CellResult(cell: job.cell, status: status, message: message,
                       wallSeconds: Date().timeIntervalSince(start), provenance: job.provenance)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging([ParentWatch.variable: "\(getpid())"]) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
            input.fileHandleForWriting.write(try JSONOutput.encoder().encode(job))
            try input.fileHandleForWriting.close()
        } catch {
            return broken(.failed, "cannot start \(executable.path): \(error)")
        }
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let stderrText = DrainedPipe(errors)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = stderrText.wait()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            let signal = process.terminationStatus
            return broken(.crashed, "terminated by signal \(signal) (\(String(cString: strsignal(signal))))")
        }
        guard process.terminationStatus == 0 else {
            let lastLine = String(decoding: errData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            return broken(.failed, "exit status \(process.terminationStatus): \(lastLine)")
        }
        do {
            return try JSONDecoder().decode(CellResult.self, from: outData)
        } catch {
            return broken(.failed, "the cell's process printed no valid result: \(error)")
        }
    }
}

/// Reads a pipe to its end on a background thread; `wait()` returns what it read.
private final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let group = DispatchGroup()

    init(_ pipe: Pipe) {
        DispatchQueue.global().async(group: group) { self.data = pipe.fileHandleForReading.readDataToEndOfFile() }
    }

    func wait() -> Data {
        group.wait()
        return data
    }
}
