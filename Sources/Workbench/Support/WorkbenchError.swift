import Foundation

/// A mistake the user can fix (unknown id, bad number, missing or malformed file) or a
/// failure of the run itself. Every case renders as one line that names the bad value and
/// what is accepted; `exitCode` follows sysexits: 64 for usage, 65 for bad data, 73 for a
/// file that cannot be created, 74 for a failed read or write (a full disk, an I/O error), 75
/// (EX_TEMPFAIL: try again later) for a folder another process holds, 1 otherwise.
public enum WorkbenchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An id that is not registered; `accepted` lists the registered ids of that kind.
    case unknownID(kind: String, id: String, accepted: [String])
    /// A value outside what a parameter or option accepts.
    case invalidValue(owner: String, name: String, value: String, accepted: String)
    /// Two plugins registered under one id.
    case duplicateID(kind: String, id: String)
    /// Two registries joined with `+` (the built-ins and a plugin package's own) both have a
    /// plugin with this id; `first` and `second` name the two plugins.
    case duplicatePlugin(kind: String, id: String, first: String, second: String)
    /// A file that does not exist or cannot be read or written.
    case file(path: String, problem: String)
    /// A data file whose contents are malformed: `location` is e.g. "line 3, column 2".
    case malformedData(path: String, location: String, problem: String)
    /// A combination the workbench cannot run (e.g. `exact` on a target with no exact sampler).
    case unsupported(String)
    /// Something missing from the machine rather than a mistake in the command (e.g. the
    /// PLplot cairo driver); the message says what to install.
    case environment(String)
    /// Reference draws that fail the quality bar (TARGETS.md): the message gives the failing
    /// numbers. The draws are not cached.
    case referenceRejected(String)
    /// A results folder locked by another running process (`FolderLock`); `pid` is the
    /// holder's, when its lock file names one.
    case folderInUse(folder: String, pid: Int32?)
    /// The operating system refused to read or write `path` (ENOSPC, EIO, EROFS, EDQUOT, …):
    /// `action` says what was being done ("append a result to it"), `errno` is the OS's
    /// reason. `creating` when the file or folder could not be created (exit 73,
    /// EX_CANTCREAT); else exit 74 (EX_IOERR).
    case io(path: String, action: String, errno: Int32, creating: Bool)

    /// `io` for the current `errno` (read it before any other call can change it).
    public static func io(path: String, action: String, creating: Bool = false) -> WorkbenchError {
        .io(path: path, action: action, errno: Foundation.errno, creating: creating)
    }

    public var description: String {
        oneLine.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private var oneLine: String {
        switch self {
        case let .unknownID(kind, id, accepted):
            var text = "unknown \(kind) '\(id)'"
            if let near = closestMatch(to: id, in: accepted) { text += " (did you mean '\(near)'?)" }
            return text + "; accepted: \(accepted.isEmpty ? "none" : accepted.joined(separator: ", "))"
        case let .invalidValue(owner, name, value, accepted):
            return "\(owner): invalid \(name) '\(value)'; accepted: \(accepted)"
        case let .duplicateID(kind, id):
            return "two \(kind) plugins are registered with the id '\(id)'; ids must be unique"
        case let .duplicatePlugin(kind, id, first, second):
            return "the \(kind) id '\(id)' is registered twice: by \(first) and by \(second); "
                + "ids must be unique: give the plugin another id"
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .malformedData(path, location, problem):
            return "\(path): \(location): \(problem)"
        case let .unsupported(text), let .environment(text):
            return text
        case let .referenceRejected(text):
            return "reference rejected: " + text
        case let .folderInUse(folder, pid):
            return "\(folder) is in use by another bench process (\(pid.map { "pid \($0)" } ?? "pid unknown")); "
                + "wait for it to finish, or choose another output folder"
        case let .io(path, action, code, _):
            return "\(path): cannot \(action): \(String(cString: strerror(code))) (errno \(code))"
        }
    }

    /// The process exit status for this error (sysexits.h: EX_USAGE 64, EX_DATAERR 65,
    /// EX_CANTCREAT 73, EX_IOERR 74, EX_TEMPFAIL 75).
    public var exitCode: Int32 {
        switch self {
        case .unknownID, .invalidValue, .duplicateID, .duplicatePlugin, .unsupported: return 64
        case .file: return 64
        case .malformedData: return 65
        case .environment, .referenceRejected: return 1
        case .folderInUse: return 75
        case let .io(_, _, _, creating): return creating ? 73 : 74
        }
    }
}

/// The entry of `candidates` nearest to `text` by edit distance, if it is close enough to be
/// a plausible typo (distance at most a third of the longer length, and at most 3).
public func closestMatch(to text: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(text.lowercased(), candidate.lowercased())
        if best == nil || distance < best!.1 { best = (candidate, distance) }
    }
    guard let (match, distance) = best else { return nil }
    let limit = min(3, max(1, max(text.count, match.count) / 3))
    return distance <= limit ? match : nil
}

/// Optimal-string-alignment edit distance between two strings, by characters: insertions,
/// deletions, substitutions and transpositions of neighbours each cost 1 ("sgdl" → "sgld" is 1).
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
