import CGSL
import Foundation

/// Where and with what a result was produced: code revision, toolchain, library versions,
/// host and time. Recorded in the grid spec file and in every result.
public struct Provenance: Codable, Hashable, Sendable {
    public var revision: String
    public var toolchain: String
    public var libraries: [String: String]
    public var host: String
    public var date: String

    public init(revision: String, toolchain: String, libraries: [String: String], host: String, date: String) {
        self.revision = revision
        self.toolchain = toolchain
        self.libraries = libraries
        self.host = host
        self.date = date
    }

    /// The provenance of this process: the git revision of the working directory (with
    /// "+dirty" when it has uncommitted changes; "unknown" outside a checkout), the Swift
    /// compiler version this binary was built with, GSL's version, OpenBLAS's version and
    /// kernels (``BLASKernels/summary``), and `extraLibraries`.
    public static func current(extraLibraries: [String: String] = [:]) -> Provenance {
        var libraries = extraLibraries
        libraries["gsl"] = String(cString: cgsl_version())
        libraries["openblas"] = BLASKernels.summary
        let revision = git(["rev-parse", "--short=12", "HEAD"]).map { rev in
            (git(["status", "--porcelain", "--untracked-files=no"]) ?? "").isEmpty ? rev : rev + "+dirty"
        } ?? "unknown"
        let formatter = ISO8601DateFormatter()
        return Provenance(
            revision: revision, toolchain: compilerVersion, libraries: libraries,
            host: ProcessInfo.processInfo.hostName, date: formatter.string(from: Date()))
    }

    private static var compilerVersion: String {
        #if compiler(>=6.3)
        return "Swift 6.3+"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #else
        return "Swift 6.0"
        #endif
    }

    private static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
