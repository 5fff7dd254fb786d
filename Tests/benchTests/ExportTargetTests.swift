import Foundation
import Testing

/// `bench export-target` writes what NumPy needs to rebuild a target exactly, and the NumPy
/// model of `examples/external/check_target.py` (the one docs/EXTERNAL.md shows) reproduces
/// every check point — log density differences, full and minibatch gradients — to 1e-9
/// relative, for each exportable family with and without gradient noise and each real posterior that
/// exports its data. A tampered array
/// fails the check, so the check can fail.
@Suite struct ExportTargetTests {
    static let exports: [[String]] = [
        ["gaussian-illcond", "--target-param", "dimension=5", "--target-param", "noise=correlated", "--target-param", "data-size=300"],
        ["gaussian-iso", "--target-param", "dimension=4", "--target-param", "noise=spatially_varied", "--target-param", "data-size=200"],
        ["gaussian-corr-2d", "--target-param", "noise=anisotropic", "--target-param", "data-size=100"],
        ["funnel", "--target-param", "noise=isotropic", "--target-param", "data-size=50"],
        ["banana"],
        ["sblri"],
        ["eight-schools-centered"],
        ["eight-schools-noncentered"],
        ["bnn-uci-yacht", "--target-param", "noise=learned", "--target-param", "activation=softplus", "--target-param", "depth=2",
         "--target-param", "width=8"],
        ["bnn-smile-energy"],
        ["bnn-classify"],
    ]

    static var checker: String { TargetDataTests.root.appendingPathComponent("examples/external/check_target.py").path }

    @Test(arguments: exports) func numpyRebuildsTheTargetExactly(_ arguments: [String]) throws {
        let folder = try temporaryFolder().appendingPathComponent("export")
        let (status, out, err) = try bench(["export-target"] + arguments + ["--out", folder.path])
        #expect(status == 0, "\(err)")
        #expect(out.contains("3 check points"))
        let check = try python([Self.checker, folder.path])
        #expect(check.status == 0 && check.out.contains("\(arguments[0]) matches"), "\(check.out)\(check.err)")
    }

    @Test func aChangedArrayFailsTheCheckAndAnExportIsNotReplacedSilently() throws {
        let folder = try temporaryFolder().appendingPathComponent("export")
        let arguments = ["export-target", "gaussian-illcond", "--target-param", "dimension=3", "--out", folder.path]
        #expect(try bench(arguments).status == 0)
        // The last float64 of the rotation, off by one part in 10⁶.
        let rotation = folder.appendingPathComponent("rotation.npy")
        var data = try Data(contentsOf: rotation)
        let last = data.count - 8
        let value = data[last...].withUnsafeBytes { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        withUnsafeBytes(of: (value * (1 + 1e-6)).bitPattern.littleEndian) { data.replaceSubrange(last..., with: $0) }
        try data.write(to: rotation)
        let check = try python([Self.checker, folder.path])
        #expect(check.status == 1 && check.err.contains("differs"), "\(check.out)\(check.err)")

        let again = try bench(arguments)
        #expect(again.status == 64 && again.err.contains("--overwrite"), "\(again.err)")
        #expect(try bench(arguments + ["--overwrite"]).status == 0)
        #expect(try python([Self.checker, folder.path]).status == 0)
    }

    func python(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
    }
}
