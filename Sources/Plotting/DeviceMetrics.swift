/// Physical size of the output page and the base font size, for layout.
///
/// The cairo drivers measure pages in points (PDF) or pixels (PNG, one pixel per point);
/// PLplot measures text in mm. Everything is designed on an 11 × 8.5 in page
/// (792 × 612 pt) and scaled by `unitScale`, so a PNG looks like the PDF page.
struct DeviceMetrics: Hashable, Sendable {
    /// Design base character height in points on the 792 × 612 pt design page. Text is
    /// rendered at 4/3 of it (see ``TextMetrics``): about 15 pt.
    static let designFontPoints = 11.5
    static let designWidth = 792.0
    static let designHeight = 612.0

    /// Page size in device units (pt for PDF, px for PNG).
    var widthUnits: Double
    var heightUnits: Double
    /// Device units per design point.
    var unitScale: Double
    var fontScale: Double

    init(widthUnits: Double, heightUnits: Double, fontScale: Double) {
        self.widthUnits = widthUnits
        self.heightUnits = heightUnits
        self.unitScale = min(widthUnits / Self.designWidth, heightUnits / Self.designHeight)
        self.fontScale = fontScale
    }

    private static let mmPerUnit = 25.4 / 72
    var pageWidthMM: Double { widthUnits * Self.mmPerUnit }
    var pageHeightMM: Double { heightUnits * Self.mmPerUnit }
    /// Base character height (= font size) in mm, as passed to `plschr`.
    var emMM: Double { Self.designFontPoints * unitScale * fontScale * Self.mmPerUnit }

    /// `em` base characters as a fraction of the page width / height.
    func horizontal(_ em: Double) -> Double { em * emMM / pageWidthMM }
    func vertical(_ em: Double) -> Double { em * emMM / pageHeightMM }
    /// A line width in device units for a design width in points.
    func lineWidth(_ points: Double) -> Double { points * unitScale }
}

/// A rectangle in normalised page coordinates (0…1, origin bottom-left).
struct Rect: Hashable, Sendable {
    var x0: Double
    var x1: Double
    var y0: Double
    var y1: Double

    var width: Double { x1 - x0 }
    var height: Double { y1 - y0 }

    func inset(left: Double, right: Double, bottom: Double, top: Double) -> Rect {
        Rect(x0: x0 + left, x1: x1 - right, y0: y0 + bottom, y1: y1 - top)
    }
}
