import Foundation
import Testing

/// Without PLplot's cairo driver, `bench grid` and `bench report` stop before doing any work
/// with one line that says what to install (exit 1), and never wait on standard input.
@Suite struct MissingDriverTests {
    /// PLplot's driver folder, wherever the distribution put it.
    func systemDriverFolder() throws -> URL {
        let lib = URL(fileURLWithPath: "/usr/lib")
        let candidates = (try? FileManager.default.subpathsOfDirectory(atPath: lib.path)) ?? []
        let path = try #require(candidates.first { $0.hasSuffix("drivers/null.driver_info") && $0.contains("plplot") })
        return lib.appendingPathComponent(path).deletingLastPathComponent()
    }

    @Test func gridWithoutCairoSaysWhatToInstall() throws {
        let drivers = try temporaryFolder()
        for name in ["null.driver_info", "null.so"] {
            try FileManager.default.copyItem(at: try systemDriverFolder().appendingPathComponent(name),
                                             to: drivers.appendingPathComponent(name))
        }
        let out = try temporaryFolder()
        let (code, _, err) = try bench(
            ["grid", "--samplers", "sgld", "--targets", "std-normal-1d", "--step-sizes", "0.1", "--steps", "100",
             "--out", out.path],
            environment: ["PLPLOT_DRV_DIR": drivers.path])
        #expect(code == 1)
        #expect(err.contains("plplot-driver-cairo"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("results.jsonl").path))
    }
}
