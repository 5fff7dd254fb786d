import Foundation
import Testing

/// `bench new-plugin` through the built binary: writes the package (no build here: CI builds
/// the example plugin), and refuses an existing folder or a bad name with one line, exit 64.
@Suite struct NewPluginTests {
    @Test func writesAPackageAndRefusesToOverwriteIt() throws {
        let folder = try temporaryFolder()
        let (code, out, err) = try bench(["new-plugin", "MySampler", "--kind", "sampler"], in: folder)
        #expect(code == 0, "\(err)")
        #expect(out.contains("plugins/my-sampler"))
        let manifest = try String(contentsOf: folder.appendingPathComponent("plugins/my-sampler/Package.swift"), encoding: .utf8)
        #expect(manifest.contains(#".package(name: "sgmcmc-workbench", path: "/"#), "outside the checkout the path is absolute")
        let (again, againOut, againErr) = try bench(["new-plugin", "MySampler", "--kind", "sampler"], in: folder)
        #expect(again == 64 && againOut.isEmpty)
        #expect(againErr.contains("already exists") && againErr.split(separator: "\n").count == 1, "\(againErr)")
    }

    @Test func badNamesAndKindsSayWhatIsAccepted() throws {
        let folder = try temporaryFolder()
        let (code, _, err) = try bench(["new-plugin", "my-sampler", "--kind", "sampler"], in: folder)
        #expect(code == 64 && err.contains("a Swift identifier"))
        let (kindCode, _, kindErr) = try bench(["new-plugin", "Mine", "--kind", "sampelr"], in: folder)
        #expect(kindCode == 64 && kindErr.contains("did you mean 'sampler'"))
        let (takenCode, _, takenErr) = try bench(["new-plugin", "SGLD", "--kind", "sampler"], in: folder)
        #expect(takenCode == 64 && takenErr.contains("id ('sgld') no sampler has yet"), "\(takenErr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
