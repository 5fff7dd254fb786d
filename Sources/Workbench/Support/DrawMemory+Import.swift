import Foundation

/// The memory guard of `bench diagnose`: reading draws and running every diagnostic on them
/// holds several copies at once (the file's bytes, the values, per-chain and per-coordinate
/// copies, rank-normalised copies), so a large file is refused before it is read rather than
/// killed by the kernel half-way.
extension DrawMemory {
    /// Peak resident memory of `bench diagnose` (every diagnostic) per byte of values
    /// (draws × d × 8) of a `.npy` file, measured with `/usr/bin/time -v` (debug build; `bench
    /// list` alone peaks at 28 MB) on gaussian-iso: d = 2, 4 chains × 10⁶ draws (64 MB of
    /// values): 531 MB, 8.3×; d = 10, 4 × 250 000 (80 MB): 370 MB, 4.6×; d = 100, 4 × 25 000
    /// (80 MB): 252 MB, 3.1×. Long chains of few coordinates cost the most (per-coordinate
    /// chains, rank normalisation, FFT autocovariances of padded length); the worst case,
    /// rounded up, is the factor.
    static let npyImportFactor = 9.0
    /// The same per byte of a CSV file: d = 10, 4 × 50 000 draws as `repr` text (40 MB,
    /// 20 bytes a value): 139 MB, 3.5×. A value costs its 8 bytes × 9 as in a `.npy` file plus
    /// the text read twice (the file and the parser's byte copy), so at about 20 bytes a value
    /// the worst case is 9 · 8 / 20 + 2 ≈ 5.6×; rounded up.
    static let csvImportFactor = 6.0

    /// What diagnosing the draws in `path` will take at its peak, estimated from the `.npy`
    /// header's shape (without reading the data) or the CSV file's size, and the words for it.
    public static func importEstimate(of path: String) throws -> (bytes: Double, reason: String) {
        switch try DrawsFile.format(of: path) {
        case .npy:
            let header = try NpyReader.header(of: path)
            let bytes = Double(header.count) * 8 * npyImportFactor
            return (bytes, "shape \(header.shapeText): \(header.count) values × 8 bytes × \(Int(npyImportFactor)) copies")
        case .csv:
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.doubleValue ?? 0
            return (size * csvImportFactor, "\(gigabytes(size)) of CSV text × \(Int(csvImportFactor))")
        }
    }

    /// Throws `unsupported` (exit 64: the data are fine, the machine is too small) when
    /// diagnosing `path` would need more than half of `limit` (default: this process's,
    /// `MemoryLimit.current()`), naming the estimate, the limit and what to do.
    public static func checkImport(_ path: String, limit: MemoryLimit? = .current()) throws {
        guard let limit else { return }
        let (need, reason) = try importEstimate(of: path)
        guard need > limit.bytes / 2 else { return }
        throw WorkbenchError.unsupported(
            "\(path): diagnosing these draws needs about \(gigabytes(need)) (\(reason)), more than half of \(limit.source); "
            + "diagnose a thinned or shorter part of the draws, or run on a machine with more memory")
    }
}
