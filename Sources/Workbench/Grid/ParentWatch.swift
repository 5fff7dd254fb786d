import CProcessControl
import Foundation

/// The child side of `--isolate`'s "children die with their parent" (`IsolatedCellExecutor`).
///
/// `dieWithParent()` asks the kernel to SIGKILL this process when its parent goes
/// (`prctl(PR_SET_PDEATHSIG)`: Linux; elsewhere nothing is done), then closes the race of a
/// parent that died before the request was made: if the parent pid is no longer the one
/// the parent wrote into `variable`, this process was already orphaned and exits at once.
/// (The signal follows the parent *thread* that started the child; the executor's thread
/// waits for its child, so it outlives it unless the whole parent dies.)
public enum ParentWatch {
    /// The environment variable holding the parent's pid.
    public static let variable = "BENCH_ISOLATE_PARENT_PID"

    /// Unblocks every signal of the calling thread (call it first in `main`, before any
    /// thread starts, so they all inherit it). A process inherits its starter's signal mask,
    /// and a starter on a libdispatch worker thread (a test, `--isolate`'s executor) blocks
    /// SIGTERM and SIGINT there: its children would ignore both until killed.
    public static func unblockSignals() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
    }

    /// Does nothing unless `variable` is set (a `bench run-cell` started by hand); exits with
    /// status 1 when the parent is already gone.
    public static func dieWithParent(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[variable], let expected = Int32(text) else { return }
        _ = workbench_kill_when_parent_dies()
        if getppid() != expected {
            FileHandle.standardError.write(Data("bench run-cell: the grid that started this cell (pid \(expected)) is gone\n".utf8))
            exit(1)
        }
    }
}
