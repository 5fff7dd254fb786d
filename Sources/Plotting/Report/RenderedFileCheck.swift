import Foundation
import Workbench

/// Checks that a rendered report file is whole before it replaces the old one, and makes it
/// durable (`fsync`).
///
/// PLplot's cairo drivers write with `fwrite` and ignore its failure, so on a full disk they
/// leave a PDF with no end-of-file marker or a PNG with no end chunk and report success
/// (docs/RESULTS.md, "Faults"). A whole PDF ends with `%%EOF` (ISO 32000-1 §7.5.5, allowing a
/// trailing end-of-line); a whole PNG ends with its IEND chunk, the 12 bytes
/// `00 00 00 00 49 45 4E 44 AE 42 60 82` (PNG spec §11.2.5). An incomplete file is an I/O
/// error naming the file and its size: ENOSPC when its file system has no space left, else EIO.
enum RenderedFileCheck {
    static let pngEnd: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    /// Throws `WorkbenchError.io` naming `shownAs` when the file at `path` is not whole.
    static func check(_ path: String, shownAs: String) throws {
        if WriteFaults.shouldFail(.reportFile) { cutInHalf(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError.io(path: shownAs, action: "read back the rendered file")
        }
        let whole: Bool
        let missing: String
        if path.hasSuffix(".pdf") {
            let tail = String(decoding: data.suffix(8), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            whole = tail.hasSuffix("%%EOF")
            missing = "no %%EOF end-of-file marker"
        } else if path.hasSuffix(".png") {
            whole = Array(data.suffix(12)) == pngEnd
            missing = "no IEND end chunk"
        } else {
            whole = true
            missing = ""
        }
        guard whole else {
            throw WorkbenchError.io(path: shownAs, action: "write the report: the drawn file is incomplete (\(data.count) bytes, \(missing)); "
                                    + "the previous report is kept", errno: spaceLeft(path) == 0 ? ENOSPC : EIO, creating: false)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        guard fd >= 0, fsync(fd) == 0 else { throw WorkbenchError.io(path: shownAs, action: "flush the rendered file to disk") }
    }

    /// Bytes available to this user on the file system holding `path` (nil: unknown).
    private static func spaceLeft(_ path: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// The injected fault: the file keeps only its first half.
    private static func cutInHalf(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0 { truncate(path, info.st_size / 2) }
    }
}
