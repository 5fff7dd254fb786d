import Foundation

/// The guarantees of a results folder (`grid.json` + `results.jsonl` + `tuning.json` + the
/// report), checked wherever a folder is read or written (docs/RESULTS.md):
///
/// - Identity: the folder belongs to one spec (`GridSpec.identityHash()`, in `grid.json`);
///   every result line carries that hash, and a line with another is an error.
/// - Each cell once: a key on two lines is an error naming the lines, never counted twice.
/// - Resume only the same grid: `--resume` with a spec that differs in any field is refused
///   naming the field, its old and its new value, before anything is written.
/// - No silent replacement: a run without `--resume` into a folder that holds results is
///   refused unless `--overwrite`.
/// - Inputs are never outputs: `baseline` and `merge` refuse an output folder that is one of
///   their inputs (by resolved path).
public enum ResultsFolder {
    public static func manifestPath(_ folder: String) -> String { folder + "/grid.json" }
    public static func resultsPath(_ folder: String) -> String { folder + "/results.jsonl" }

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

    /// The check of a run without `--resume` into `folder`: results already there are refused
    /// unless `overwrite`, which then removes them (results.jsonl and tuning.json). Returns
    /// the number of results replaced.
    @discardableResult
    public static func prepareFresh(_ folder: String, overwrite: Bool) throws -> Int {
        let path = resultsPath(folder)
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        let lines = data.split(separator: UInt8(ascii: "\n")).count
        guard lines > 0 else { return 0 }
        guard overwrite else {
            throw WorkbenchError.unsupported(
                "\(folder) already holds \(lines) result\(lines == 1 ? "" : "s"); add --resume to finish that grid, --overwrite to replace "
                    + "them, or choose another --out")
        }
        for name in ["results.jsonl", "tuning.json"] {
            let file = folder + "/" + name
            if FileManager.default.fileExists(atPath: file) {
                do { try FileManager.default.removeItem(atPath: file) } catch {
                    throw WorkbenchError.file(path: file, problem: "cannot remove it to overwrite (\(error.localizedDescription))")
                }
            }
        }
        return lines
    }

    /// `path` with symbolic links and `.`/`..` resolved (as far as it exists).
    public static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Refuses an output folder that is one of `inputs` (by resolved path): `command`
    /// would overwrite what it reads.
    public static func checkNotAnInput(out: String, inputs: [String], command: String) throws {
        let target = resolved(out)
        if let input = inputs.first(where: { resolved($0) == target }) {
            throw WorkbenchError.invalidValue(
                owner: command, name: "--out", value: out,
                accepted: "a path other than its input \(input) (\(command) never overwrites its inputs)")
        }
    }
}
