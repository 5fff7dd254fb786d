import ArgumentParser
import Foundation
import Workbench

/// `bench new-plugin NAME --kind sampler|target|diagnostic [--dir plugins]`: scaffolds an
/// out-of-tree plugin package (see `PluginScaffold`) that depends on this workbench by path.
struct NewPluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-plugin", abstract: "Scaffold an out-of-tree plugin package (a sampler, target or diagnostic).",
        discussion: """
            Writes DIR/ID/ (ID is NAME in lowercase words joined by hyphens: MySampler → my-sampler) with \
            Package.swift, the plugin file, a `bench-ID` executable and a test using the conformance kit. \
            It builds and runs as generated:
              bench new-plugin MySampler --kind sampler
              cd plugins/my-sampler && swift build && swift test
              .build/debug/bench-my-sampler grid --samplers my-sampler,sgld --targets std-normal-1d --step-sizes 0.01 --steps 20000
            The package depends on the workbench checkout by path: relative when DIR is inside the \
            checkout, absolute otherwise. Never overwrites an existing folder.
            """)

    @Argument(help: "The plugin's Swift type name: an ASCII letter, then letters, digits or underscores (e.g. MySampler).")
    var name: String
    @Option(help: "What the plugin adds: sampler, target or diagnostic.") var kind: String
    @Option(help: "The folder to create the package in.") var dir: String = "plugins"
    @Option(help: "The workbench checkout to depend on (default: the one this tool was built from).")
    var workbench: String?

    func run() throws {
        try reportingUserErrors {
            guard let kind = PluginScaffold.Kind(rawValue: kind) else {
                throw WorkbenchError.unknownID(kind: "plugin kind", id: kind, accepted: PluginScaffold.Kind.allCases.map(\.rawValue))
            }
            try PluginScaffold.validate(name: name)
            let id = PluginScaffold.kebab(name)
            let taken: [String]
            switch kind {
            case .sampler: taken = Bench.registry.samplers.map(\.id)
            case .target: taken = Bench.registry.targets.map(\.id)
            case .diagnostic: taken = Bench.registry.diagnostics.map(\.id)
            }
            if taken.contains(id) {
                throw WorkbenchError.invalidValue(
                    owner: "bench new-plugin", name: "NAME", value: name,
                    accepted: "a name whose id ('\(id)') no \(kind.rawValue) has yet; taken: \(taken.joined(separator: ", "))")
            }
            let root = try WorkbenchLocation.find(explicit: workbench)
            let folder = URL(fileURLWithPath: dir).appendingPathComponent(PluginScaffold.kebab(name)).standardizedFileURL
            let scaffold = try PluginScaffold(
                name: name, kind: kind, workbenchPath: WorkbenchLocation.dependencyPath(from: folder, to: root))
            try scaffold.write(to: folder)
            print("wrote \(folder.path)/ (\(scaffold.kind.rawValue) '\(scaffold.id)', depending on \(scaffold.workbenchPath))")
            for file in scaffold.files { print("  \(file.path)") }
            print("""
                next:
                  cd \(folder.path)
                  swift build && swift test
                  .build/debug/\(scaffold.executable) list
                """)
        }
    }
}

/// Where the workbench checkout is, for a generated package's path dependency.
enum WorkbenchLocation {
    /// The manifest name that identifies the workbench.
    static let packageName = "sgmcmc-workbench"

    /// `explicit` if given (it must be the workbench); otherwise the first workbench found
    /// walking up from the running executable (`.build/debug/bench` lives inside the checkout;
    /// a plugin's `bench-ID` inside the plugin, inside `plugins/` of the checkout), then the
    /// checkout this file was compiled from, then walking up from the current folder.
    static func find(explicit: String?, executable: String = CommandLine.arguments.first ?? "",
                     compiledFrom: String = #filePath) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit).standardizedFileURL.resolvingSymlinksInPath()
            guard isWorkbench(url) else {
                throw WorkbenchError.invalidValue(
                    owner: "bench new-plugin", name: "--workbench", value: explicit,
                    accepted: "the folder of the workbench checkout (its Package.swift names \"\(packageName)\")")
            }
            return url
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var starts: [URL] = []
        if !executable.isEmpty {
            let exe = URL(fileURLWithPath: executable, relativeTo: cwd).standardizedFileURL.resolvingSymlinksInPath()
            starts.append(exe.deletingLastPathComponent())
        }
        // compiledFrom is …/Sources/BenchCLI/NewPluginCommand.swift.
        starts.append(URL(fileURLWithPath: compiledFrom).deletingLastPathComponent())
        starts.append(cwd)
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                if isWorkbench(folder) { return folder.resolvingSymlinksInPath() }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw WorkbenchError.environment(
            "bench new-plugin: cannot find the workbench checkout this tool was built from; name it with --workbench PATH")
    }

    static func isWorkbench(_ folder: URL) -> Bool {
        let manifest = folder.appendingPathComponent("Package.swift")
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return false }
        return text.contains("name: \"\(packageName)\"")
            && FileManager.default.fileExists(atPath: folder.appendingPathComponent("Sources/BenchCLI").path)
    }

    /// The path to write in the package at `folder` for the checkout at `root`: relative
    /// ("../..") when the package is inside the checkout, so the two move together; absolute
    /// otherwise, so the package works wherever it is.
    static func dependencyPath(from folder: URL, to root: URL) -> String {
        let package = resolvedComponents(folder)
        let checkout = resolvedComponents(root)
        guard package.count > checkout.count, Array(package.prefix(checkout.count)) == checkout else {
            return root.path
        }
        return Array(repeating: "..", count: package.count - checkout.count).joined(separator: "/")
    }

    /// Path components with symbolic links resolved in the longest existing prefix (the
    /// package folder itself does not exist yet).
    private static func resolvedComponents(_ url: URL) -> [String] {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.pathComponents.count > 1 {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        return existing.resolvingSymlinksInPath().pathComponents + rest
    }
}
