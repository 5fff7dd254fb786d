import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An external sampler's child process: started with `posix_spawn` in a process group of its
/// own, its standard input and output on pipes the workbench reads and writes with deadlines,
/// its standard error in a file (`stderrPath`).
///
/// Contract: the pipes are close-on-exec in the workbench, so a child started by another
/// thread never holds them open; every wait is bounded by the deadline given; `terminate`
/// kills the whole group (SIGKILL), so nothing the child started outlives its cell. Writing
/// to a child that has gone never raises SIGPIPE in the workbench (it is ignored, once per
/// process): the write fails with `.closed`.
final class ChildProcess {
    /// Why a read or a write did not complete.
    enum Failure: Error {
        /// The deadline passed first.
        case timedOut
        /// The child closed its end (exited, or closed the stream).
        case closed
        /// The OS refused (errno).
        case system(Int32)
    }

    /// How the child ended.
    enum Termination: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let code): return "exit status \(code)"
            case .signalled(let signal): return "signal \(signal) (\(String(cString: strsignal(signal))))"
            }
        }
    }

    let pid: pid_t
    private var input: Int32
    private let output: Int32
    let stderrPath: String
    private(set) var termination: Termination?

    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Starts `argv` (the program looked up in `PATH` when it has no slash) in `directory`,
    /// standard error to `stderrPath` (created or truncated).
    init(argv: [String], directory: String, stderrPath: String) throws {
        Self.ignoreSIGPIPE
        self.stderrPath = stderrPath
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard gnuPipe2(&toChild, O_CLOEXEC) == 0 else { throw WorkbenchError.environment("cannot create a pipe: \(String(cString: strerror(errno)))") }
        guard gnuPipe2(&fromChild, O_CLOEXEC) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw WorkbenchError.environment("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        gnuAddChdir(&actions, directory)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, argv[0], &actions, &attributes, cArguments, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw WorkbenchError.environment("cannot start \(argv.joined(separator: " ")): \(String(cString: strerror(status)))")
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        terminate()
        if input >= 0 { close(input) }
        close(output)
    }

    /// Writes all of `bytes` to the child's standard input before `deadline`.
    func write(_ bytes: UnsafeRawBufferPointer, deadline: ContinuousClock.Instant?) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(input, bytes.baseAddress! + done, bytes.count - done)
            if n > 0 { done += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EPIPE { throw .closed }
            if n < 0 && errno != EAGAIN { throw .system(errno) }
            try wait(for: input, events: Int16(POLLOUT), deadline: deadline)
        }
    }

    /// Fills `buffer` from the child's standard output before `deadline`.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) throws(Failure) {
        var done = 0
        while done < buffer.count {
            let n = Glibc.read(output, buffer.baseAddress! + done, buffer.count - done)
            if n > 0 { done += n; continue }
            if n == 0 { throw .closed }
            if errno == EINTR { continue }
            if errno != EAGAIN { throw .system(errno) }
            try wait(for: output, events: Int16(POLLIN), deadline: deadline)
        }
    }

    private func wait(for fd: Int32, events: Int16, deadline: ContinuousClock.Instant?) throws(Failure) {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero { throw .timedOut }
                let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
                timeout = Int32(clamping: ms)
            }
            var request = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&request, 1, timeout)
            if ready > 0 { return }  // readable, writable, or hung up: the read or write says which
            if ready < 0 && errno != EINTR { throw .system(errno) }
        }
    }

    /// Closes the child's standard input (it reads end of file).
    func closeInput() {
        if input >= 0 { close(input); input = -1 }
    }

    /// Waits up to `grace` for the child to exit, then kills its group; returns how it ended.
    @discardableResult
    func finish(grace: Duration) -> Termination {
        if let termination { return termination }
        let end = ContinuousClock.now + grace
        while ContinuousClock.now < end {
            if let ended = reap(blocking: false) { return ended }
            usleep(2_000)
        }
        return terminate()
    }

    /// Kills the child's process group (SIGKILL) and reaps the child; returns how it ended.
    @discardableResult
    func terminate() -> Termination {
        _ = kill(-pid, SIGKILL)
        if let termination { return termination }
        return reap(blocking: true) ?? .signalled(SIGKILL)
    }

    private func reap(blocking: Bool) -> Termination? {
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if r == 0 { return nil }
            if r < 0 {
                if errno == EINTR { continue }
                termination = .signalled(SIGKILL)  // reaped elsewhere: it is gone
                return termination
            }
            break
        }
        let low = status & 0x7f
        termination = low == 0 ? .exited((status >> 8) & 0xff) : .signalled(low)
        // Whatever it started goes with it.
        _ = kill(-pid, SIGKILL)
        return termination
    }

    /// The last `lines` lines (at most `bytes` bytes) of the child's standard error.
    func stderrTail(lines: Int = 20, bytes: Int = 4096) -> String {
        guard let handle = FileHandle(forReadingAtPath: stderrPath) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }
}

// glibc functions the Glibc module hides behind _GNU_SOURCE (both in glibc ≥ 2.29): pipe2
// makes both ends close-on-exec atomically (a child another thread starts in between never
// inherits them), addchdir_np sets the child's working directory.
@_silgen_name("pipe2")
private func gnuPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
@_silgen_name("posix_spawn_file_actions_addchdir_np") @discardableResult
private func gnuAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
