import Foundation

/// Writes NumPy `.npy` files (format version 1.0): little-endian float64 ('<f8'), C order.
/// `numpy.load(path)` returns an array of `shape`; ArviZ reads (chains, draws, d) directly
/// with `arviz.from_numpy`-style converters or `az.convert_to_dataset(numpy.load(path))`.
public enum NpyWriter {
    /// Writes `values` (row-major, `shape.reduce(1, *)` of them) to `path`; a refusal names
    /// the OS's reason (`PlainFile`).
    public static func write(_ values: [Double], shape: [Int], to path: String) throws {
        precondition(values.count == shape.reduce(1, *), "npy: value count does not match the shape")
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(dims)), }"
        // magic (6) + version (2) + header length (2) + header, padded with spaces and ending
        // in a newline so the data start on a 64-byte boundary.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { buffer in
            for v in buffer {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        try PlainFile.write(data, to: path, describing: "the .npy file")
    }
}
