import CPLplot

/// Device discovery and stream set-up. Callers must hold ``PLplotLock``.
enum PLplotSession {
    /// Font characterisation integers (PLplot's FCI): sans/mono family, bold weight.
    static let sansFont: PLUNICODE = 0x8000_0000
    static let boldFont: PLUNICODE = 0x8000_0100
    static let monoFont: PLUNICODE = 0x8000_0002

    /// Names of all devices compiled into or loadable by this PLplot (`plgDevs`).
    static func deviceNames() -> [String] {
        let capacity = 256
        let menus = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: capacity)
        let names = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: capacity)
        defer {
            menus.deallocate()
            names.deallocate()
        }
        var menuList: UnsafeMutablePointer<UnsafePointer<CChar>?>? = menus
        var nameList: UnsafeMutablePointer<UnsafePointer<CChar>?>? = names
        var count = Int32(capacity)
        plgDevs(&menuList, &nameList, &count)
        return (0..<Int(max(0, min(count, Int32(capacity))))).compactMap { names[$0].map { String(cString: $0) } }
    }

    /// PLplot's version string (`plgver`).
    static func version() -> String {
        var buffer = [CChar](repeating: 0, count: 80)
        c_plgver(&buffer)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Throws ``PlottingError/missingDriver(device:)`` unless PLplot lists `device`.
    static func requireDevice(_ device: String) throws {
        guard deviceNames().contains(device) else { throw PlottingError.missingDriver(device: device) }
    }

    /// Opens a fresh PLplot stream writing `file` with `device`, runs `body`, and always
    /// ends the stream (which closes the file). The device and file name are set before
    /// `plinit`, so PLplot never prompts on standard input.
    static func withStream<T>(device: String, file: String, metrics: DeviceMetrics, _ body: () throws -> T) throws -> T {
        var stream: Int32 = -1
        c_plmkstrm(&stream)
        guard stream > 0 else { throw PlottingError.plplot("no free PLplot stream") }
        defer { c_plend1() }
        c_plsdev(device)
        c_plsfnam(file)
        c_plspage(0, 0, Int32(metrics.widthUnits.rounded()), Int32(metrics.heightUnits.rounded()), 0, 0)
        configureColors()
        c_plinit()
        c_plsfci(sansFont)
        c_plschr(metrics.emMM, 1)
        return try body()
    }

    /// White background, black foreground, greys, Okabe–Ito series colours and their
    /// translucent fill variants (see ``ColorMap``).
    private static func configureColors() {
        let entries = ColorMap.entries
        var red = entries.map { Int32($0.red) }
        var green = entries.map { Int32($0.green) }
        var blue = entries.map { Int32($0.blue) }
        c_plscmap0n(ColorMap.count)
        c_plscmap0(&red, &green, &blue, ColorMap.count)
        for index in Int(ColorMap.firstFill)..<Int(ColorMap.count) {
            c_plscol0a(Int32(index), red[index], green[index], blue[index], ColorMap.fillAlpha)
        }
        c_plscolbg(255, 255, 255)
    }
}
