import Foundation

/// Where the package's data and cached references live, resolved relative to the package so
/// that `swift test`, `swift run bench` and `.build/*/bench` run from anywhere all find them.
///
/// - `root`: `$SGMCMC_WORKBENCH_ROOT` if set, otherwise the package directory this file was
///   compiled from (three levels above `Sources/Workbench/Support/`).
/// - `data`: `root/data` — the data sets the targets ship with (`data/README.md` has their
///   provenance and licences). Nothing outside the package is read.
/// - `references`: `$SGMCMC_REFERENCES` if set, otherwise `root/references` — reference draws
///   built by `bench reference` (git-ignored; `references/README.md` explains the layout).
public enum ProjectPaths {
    public static var root: String {
        if let root = ProcessInfo.processInfo.environment["SGMCMC_WORKBENCH_ROOT"], !root.isEmpty { return root }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// The folder of the shipped data sets.
    public static var data: String { root + "/data" }

    /// The folder of cached reference draws.
    public static var references: String {
        if let dir = ProcessInfo.processInfo.environment["SGMCMC_REFERENCES"], !dir.isEmpty { return dir }
        return root + "/references"
    }

    /// `data/<relative>`.
    public static func data(_ relative: String) -> String { data + "/" + relative }
}
