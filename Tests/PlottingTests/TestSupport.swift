import Foundation

/// Helpers for the rendering tests: temporary directories and file checks.
enum TestSupport {
    /// A fresh, empty directory under the system temp directory.
    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("plotting-tests-\(safe)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func bytes(_ url: URL, count: Int) throws -> [UInt8] {
        Array(try Data(contentsOf: url).prefix(count))
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func isPDF(_ url: URL) throws -> Bool {
        try bytes(url, count: 4) == Array("%PDF".utf8)
    }

    static func isPNG(_ url: URL) throws -> Bool {
        try bytes(url, count: 8) == pngSignature
    }

    static func fileSize(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The standard output of `/usr/bin/<tool> arguments` (poppler-utils' tools), stderr dropped.
    static func output(of tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }

    /// The text of a PDF as `pdftotext -layout` (poppler-utils) reads it: a table's row stays a line.
    static func pdfText(_ url: URL) throws -> String {
        try output(of: "pdftotext", ["-layout", url.path, "-"])
    }

    /// `pdfinfo`'s "Pages:" and "Page size:" for a PDF (poppler-utils).
    static func pdfInfo(_ url: URL) throws -> (pages: Int?, pageSize: String?) {
        let output = try output(of: "pdfinfo", [url.path])
        var pages: Int?
        var size: String?
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if parts[0] == "Pages" { pages = Int(parts[1]) }
            if parts[0] == "Page size" { size = parts[1] }
        }
        return (pages, size)
    }
}
