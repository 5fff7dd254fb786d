import Foundation

/// A grid's results folder, and the one place that knows its files (docs/RESULTS.md):
/// `grid.json` + `results.jsonl` + `tuning.json` + the report, with `.bench.lock`.
///
/// An instance is a folder open for writing, held for the writing command's whole life
/// (`grid`, `merge`, `baseline`, `report`, and each Slurm task through them): created if
/// missing, locked (`FolderLock`), cleared of the temporaries a killed process left, and
/// written only through names it owns — never through a symbolic link inside it (appends
/// open with O_NOFOLLOW, whole files are renamed over a link, the lock replaces one, the
/// report's folders are made plain folders). The static functions read and check folders:
///
/// - Identity: the folder belongs to one spec (`GridSpec.identityHash()`, in `grid.json`);
///   every result line carries that hash, and a line with another is an error.
/// - Each cell once: a key on two lines is an error naming the lines, never counted twice.
/// - Resume only the same grid: `--resume` with a spec that differs in any field is refused
///   naming the field, its old and its new value, before anything is written; a torn last
///   line is set aside (`setAsideTornLine`) and its cell runs again.
/// - No silent replacement: writing a grid's files into a folder that holds another's is
///   refused unless `--overwrite`, which first removes every file of the old grid.
/// - Inputs are never outputs: `baseline` and `merge` refuse an output folder that is one of
///   their inputs, by where the paths really lead (`RealPath`: links, `..`, device and inode).
public final class ResultsFolder: @unchecked Sendable {
    /// Every file and folder the tool writes in a results folder.
    public enum Entry: String, CaseIterable, Sendable {
        case manifest = "grid.json"
        case results = "results.jsonl"
        case tuning = "tuning.json"
        /// Torn last lines set aside by a resume, kept for inspection and never read back.
        case tornLines = "results.jsonl.torn"
        case report = "report.pdf"
        case figures = "figures"
        case summary = "summary.md"
        case html = "index.html"
        case draws = "draws"
        /// External cells' children's standard error (`<cell file stem>.stderr`), when they wrote any.
        case logs = "logs"
        case lock = ".bench.lock"
        /// A `bench grid --slurm` folder's spec, scripts and logs, and its shard folders.
        case slurmSpec = "spec.json"
        case slurm = "slurm"
        case shards = "shards"

        /// What `--overwrite` removes: one grid's files. The lock stays, and so does a Slurm
        /// submission (its merge job writes the merged grid beside it).
        public static let gridFiles: [Entry] = [.manifest, .results, .tuning, .tornLines, .report, .figures, .summary, .html, .draws, .logs]
    }

    /// Prefix of the folder a report is rendered into before it is installed.
    static let stagingPrefix = ".report-staging-"

    /// The folder as the command was given it.
    public let path: String
    private let lock: FolderLock
    /// The pid in the lock file of a holder that is gone (its lock was taken over).
    public var takenOverFrom: Int32? { lock.takenOverFrom }
    /// Temporary files and staging folders of killed processes, removed on opening.
    public private(set) var staleRemoved: [String] = []

    /// Opens `folder` for writing: creates it, takes its lock (or throws `folderInUse`, exit
    /// 75), and removes the temporaries killed processes left (`.NAME.tmp-…` files of
    /// `AtomicFile`, report staging folders) — every writer holds the lock, so any found now
    /// are stale.
    public init(writing folder: String) throws {
        path = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError.io(path: folder, action: "create the output folder", errno: Self.errno(of: error), creating: true)
        }
        lock = try FolderLock(folder: folder)
        staleRemoved = removeStaleTemporaries()
    }

    /// The path of `entry` in this folder.
    public func path(_ entry: Entry) -> String { Self.path(entry, in: path) }

    /// The path of `entry` in `folder`.
    public static func path(_ entry: Entry, in folder: String) -> String { folder + "/" + entry.rawValue }

    /// The folder's results file.
    public var store: ResultStore { ResultStore(path: path(.results)) }

    /// Releases the lock (idempotent; also on deinit).
    public func release() { lock.release() }

    /// The grid's files present in the folder (`Entry.gridFiles`).
    public func presentEntries() -> [Entry] {
        Entry.gridFiles.filter { Self.lexists(path($0)) }
    }

    /// Claims the folder for a new grid's files (`merge`, `baseline`; `report --out` refuses
    /// report files too): a folder holding any of `refusing` (default: a grid's grid.json,
    /// results.jsonl, tuning.json) is refused unless `overwrite`, which removes every file of
    /// the old grid (results, report, draws, set-aside lines). Returns what was removed.
    @discardableResult
    public func claim(overwrite: Bool, command: String, refusing: [Entry] = [.manifest, .results, .tuning]) throws -> [Entry] {
        let present = presentEntries()
        guard present.contains(where: refusing.contains) else { return [] }
        guard overwrite else {
            throw WorkbenchError.invalidValue(
                owner: command, name: "--out", value: path,
                accepted: "a folder without a grid's files (it holds \(present.map(\.rawValue).joined(separator: ", "))), "
                    + "or --overwrite to replace them")
        }
        try remove(present)
        return present
    }

    /// The check of `bench grid` without `--resume`: results already there are refused unless
    /// `overwrite`, which then removes every file of the old grid (draws and report too).
    /// Returns the number of results replaced.
    @discardableResult
    public func prepareFresh(overwrite: Bool) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path(.results)) else { return 0 }
        let lines = data.split(separator: UInt8(ascii: "\n")).count
        guard lines > 0 else { return 0 }
        guard overwrite else {
            throw WorkbenchError.unsupported(
                "\(path) already holds \(lines) result\(lines == 1 ? "" : "s"); add --resume to finish that grid, --overwrite to replace "
                    + "them, or choose another --out")
        }
        try remove(presentEntries())
        return lines
    }

    /// Sets a torn last line of `results.jsonl` aside into `results.jsonl.torn` (before a
    /// resume, so its cell runs again) and returns its byte range; nil when there is none.
    public func setAsideTornLine() throws -> Range<Int>? {
        try store.setAsideTornTail(into: path(.tornLines))
    }

    /// `entry` (`figures` or `draws`) as a plain folder, created if missing: a symbolic link
    /// in its place is removed first, so nothing written into it lands outside this folder.
    public func folder(_ entry: Entry) throws -> String {
        let target = path(entry)
        if Self.isLink(target) { unlink(target) }
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw WorkbenchError.io(path: target, action: "create the \(entry.rawValue) folder", errno: Self.errno(of: error), creating: true)
        }
        return target
    }

    /// A new, empty folder inside this one to render a report into (`installReport` moves it in).
    public func makeReportStaging() throws -> String {
        var template = Array((path + "/" + Self.stagingPrefix + "XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw WorkbenchError.io(path: path, action: "create a folder to render the report into", creating: true)
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Installs a complete report rendered into `staging` (`makeReportStaging`): each figure is
    /// renamed over its old name (a reader sees an old or a new figure, never half of one),
    /// figures the new report lacks are removed, then `report.pdf`, `summary.md` and
    /// `index.html` are renamed into place, the page that links the figures last; the staging
    /// folder is removed. Returns the installed paths.
    public func installReport(from staging: String) throws -> [String] {
        let figures = try folder(.figures)
        let staged = staging + "/" + Entry.figures.rawValue
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: staged)) ?? []).sorted()
        var installed: [String] = []
        for name in names {
            try move(staged + "/" + name, to: figures + "/" + name)
            installed.append(figures + "/" + name)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: figures)) ?? [] where !names.contains(name) {
            unlink(figures + "/" + name)
        }
        for entry in [Entry.report, .summary, .html] where Self.lexists(staging + "/" + entry.rawValue) {
            try move(staging + "/" + entry.rawValue, to: path(entry))
            installed.append(path(entry))
        }
        try? FileManager.default.removeItem(atPath: staging)
        return installed
    }

    private func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw WorkbenchError.io(path: destination, action: "move the rendered file into place")
        }
    }

    private func remove(_ entries: [Entry]) throws {
        for entry in entries {
            do { try FileManager.default.removeItem(atPath: path(entry)) } catch {
                throw WorkbenchError.io(path: path(entry), action: "remove it to overwrite", errno: Self.errno(of: error), creating: false)
            }
        }
    }

    /// Removes `.NAME.tmp-…` files and report staging folders here and in `figures/`.
    private func removeStaleTemporaries() -> [String] {
        var removed: [String] = []
        for folder in [path, path(.figures)] where !Self.isLink(folder) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where name.hasPrefix(Self.stagingPrefix) || (name.hasPrefix(".") && name.contains(".tmp-")) {
                if (try? FileManager.default.removeItem(atPath: folder + "/" + name)) != nil { removed.append(folder + "/" + name) }
            }
        }
        return removed
    }

    private static func lexists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The POSIX errno inside a Foundation file error (EIO when it carries none).
    static func errno(of error: Error) -> Int32 {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return EIO
    }

    public static func manifestPath(_ folder: String) -> String { path(.manifest, in: folder) }
    public static func resultsPath(_ folder: String) -> String { path(.results, in: folder) }

    /// A folder's manifest and results, checked: no key twice, every line of the folder's
    /// identity (lines without a hash, from older versions, are accepted). The torn last line
    /// of a killed run is skipped and counted.
    public static func load(_ folder: String) throws -> (manifest: GridManifest, results: [CellResult], tornLines: Int) {
        let manifest = try GridManifest.load(from: manifestPath(folder))
        let (results, torn) = try loadResults(folder, identity: try manifest.identity())
        return (manifest, results, torn)
    }

    /// The results of `folder`, checked as in `load` against `identity` (nil: the folder's
    /// `grid.json`'s when it has one, else no identity check).
    public static func loadResults(_ folder: String, identity: String? = nil) throws -> (results: [CellResult], tornLines: Int) {
        let store = ResultStore(path: resultsPath(folder))
        let (numbered, torn) = try store.loadNumbered()
        try store.checkUniqueKeys(numbered)
        var identity = identity
        if identity == nil, FileManager.default.fileExists(atPath: manifestPath(folder)) {
            identity = try GridManifest.load(from: manifestPath(folder)).identity()
        }
        if let identity { try checkIdentity(numbered, identity: identity, path: store.path, of: "the folder's grid.json") }
        return (numbered.map(\.result), torn)
    }

    /// Throws `malformedData` at the first line whose `specHash` is not `identity`.
    public static func checkIdentity(_ numbered: [(line: Int, result: CellResult)], identity: String, path: String,
                                     of owner: String) throws {
        guard let (line, result) = numbered.first(where: { $0.result.specHash.map { $0 != identity } ?? false }) else { return }
        throw WorkbenchError.malformedData(
            path: path, location: "line \(line)",
            problem: "cell '\(result.key)' belongs to another grid (spec hash \(result.specHash!), \(owner)'s is \(identity)); "
                + "results of different specs never share a folder")
    }

    /// The checks of `bench grid --resume` into `folder`, all made before anything is
    /// written: the spec equals the one in `grid.json` field by field (else an error naming
    /// each differing field with its old and new value), and the stored results have unique
    /// keys and the folder's identity.
    public static func checkResume(_ folder: String, spec: GridSpec) throws {
        var identity = try spec.identityHash()
        if FileManager.default.fileExists(atPath: manifestPath(folder)) {
            let old = try GridManifest.load(from: manifestPath(folder))
            let differences = try spec.differences(from: old.spec)
            if !differences.isEmpty {
                func short(_ text: String) -> String { text.count <= 60 ? text : String(text.prefix(57)) + "…" }
                let list = differences.map { "\($0.field) was \(short($0.old)), now \(short($0.new))" }.joined(separator: "; ")
                throw WorkbenchError.unsupported(
                    "--resume would mix results of two grids in \(folder): \(list); resume with the spec in its grid.json, "
                        + "or write into another --out (--overwrite replaces its results)")
            }
            identity = try old.identity()
        }
        guard FileManager.default.fileExists(atPath: resultsPath(folder)) else { return }
        let store = ResultStore(path: resultsPath(folder))
        let (numbered, _) = try store.loadNumbered()
        try store.checkUniqueKeys(numbered)
        try checkIdentity(numbered, identity: identity, path: store.path, of: "this grid")
    }

    /// Refuses an output folder that is one of `inputs` (`RealPath`: where the paths really
    /// lead, and device and inode when both exist): `command` would overwrite what it reads.
    public static func checkNotAnInput(out: String, inputs: [String], command: String) throws {
        let target = RealPath(out)
        if let input = inputs.first(where: { RealPath($0).isSame(as: target) }) {
            throw WorkbenchError.invalidValue(
                owner: command, name: "--out", value: out,
                accepted: "a path other than its input \(input) (both lead to \(target); \(command) never overwrites its inputs)")
        }
    }
}
