import CPLplot
import Foundation

/// Small wrappers that keep the PLplot call sites readable.
enum PL {
    static func color(_ index: Int32) { c_plcol0(index) }
    static func width(_ width: Double) { c_plwidth(width) }
    static func scale(_ scale: Double) { c_plschr(0, scale) }

    static func line(_ points: [Point]) {
        guard points.count > 1 else { return }
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        c_plline(Int32(points.count), &xs, &ys)
    }

    static func fill(_ points: [Point]) {
        guard points.count > 2 else { return }
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        c_plfill(Int32(points.count), &xs, &ys)
    }

    static func glyphs(_ points: [Point], _ glyph: String) {
        guard !points.isEmpty else { return }
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        c_plstring(Int32(points.count), &xs, &ys, glyph)
    }

    /// Runs `body` with the font set to `fci`, restoring sans afterwards.
    static func withFont(_ fci: PLUNICODE, _ body: () -> Void) {
        c_plsfci(fci)
        body()
        c_plsfci(PLplotSession.sansFont)
    }

    /// Calls `body` with a C array of C strings that lives for the duration of the call.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        // Never hand out a nil base address, even for an empty list.
        let pointers = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
