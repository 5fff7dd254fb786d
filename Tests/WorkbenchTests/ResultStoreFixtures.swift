import Foundation
@testable import Workbench

/// A results store in a fresh temporary file.
func temporaryStore() -> ResultStore {
    ResultStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID())-results.jsonl").path)
}

extension ResultStore {
    /// What a process killed mid-append leaves behind: the start of a line, without its end or
    /// its newline.
    func appendTornLine() throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"key":"torn"#.utf8))
        try handle.close()
    }

    /// An interrupted grid's store: a fresh one holding `results`, then a torn line.
    static func interrupted(holding results: some Sequence<CellResult>) throws -> ResultStore {
        let store = temporaryStore()
        for result in results { try store.append(result) }
        try store.appendTornLine()
        return store
    }
}
