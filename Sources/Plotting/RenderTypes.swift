import Foundation

/// Output sizes and font scaling for ``PlotRenderer``.
public struct RenderOptions: Sendable, Hashable {
    /// PDF page size in inches; landscape US Letter by default.
    public var pdfWidthInches: Double
    /// See ``pdfWidthInches``.
    public var pdfHeightInches: Double
    /// PNG size in pixels. Text and lines scale with the size, so a PNG looks like the
    /// PDF page.
    public var pngWidth: Int
    /// See ``pngWidth``.
    public var pngHeight: Int
    /// Multiplier for all text (1 = 11.5 pt on an 11 × 8.5 in page).
    public var fontScale: Double

    /// Options; the defaults give 11 × 8.5 in PDF pages and 1100 × 850 px PNGs. Non-positive,
    /// non-finite or absurd sizes fall back to the defaults.
    public init(pdfWidthInches: Double = 11, pdfHeightInches: Double = 8.5, pngWidth: Int = 1100, pngHeight: Int = 850, fontScale: Double = 1) {
        self.pdfWidthInches = pdfWidthInches
        self.pdfHeightInches = pdfHeightInches
        self.pngWidth = pngWidth
        self.pngHeight = pngHeight
        self.fontScale = fontScale
    }

    var pdfMetrics: DeviceMetrics {
        DeviceMetrics(widthUnits: sane(pdfWidthInches, 11) * 72, heightUnits: sane(pdfHeightInches, 8.5) * 72, fontScale: sane(fontScale, 1))
    }

    var pngMetrics: DeviceMetrics {
        DeviceMetrics(widthUnits: sane(Double(pngWidth), 1100), heightUnits: sane(Double(pngHeight), 850), fontScale: sane(fontScale, 1))
    }

    /// Falls back to `fallback` for non-positive, non-finite or absurd values.
    private func sane(_ value: Double, _ fallback: Double) -> Double {
        value.isFinite && value > 0 && value < 100_000 ? value : fallback
    }
}

/// Points of one series that could not be drawn (they are also noted on the panel).
public struct Omission: Sendable, Hashable {
    /// ``Page/stem`` of the page holding the panel.
    public var pageStem: String
    /// Index of the panel on its page.
    public var panelIndex: Int
    /// The panel's and the series' titles, for messages.
    public var panelTitle: String
    /// See ``panelTitle``.
    public var seriesLabel: String
    /// NaN/±inf coordinates, or entries without a partner in arrays of unequal length.
    public var nonFinite: Int
    /// Zero or negative values on a log axis.
    public var nonPositiveOnLogAxis: Int
}

/// What a render call produced.
public struct RenderReport: Sendable, Hashable {
    /// Files written: the PDF, or one PNG per page in page order.
    public var files: [URL]
    /// Every series that dropped points, in page/panel/series order.
    public var omissions: [Omission]

    static func omissions(in pages: [Page]) -> [Omission] {
        pages.flatMap { page in
            page.panels.enumerated().flatMap { index, panel -> [Omission] in
                guard case .chart = panel.content else { return [] }
                return PanelData(panel: panel).series.compactMap { series in
                    guard series.drops.total > 0 else { return nil }
                    return Omission(pageStem: page.stem, panelIndex: index, panelTitle: panel.title, seriesLabel: series.label,
                                    nonFinite: series.drops.nonFinite, nonPositiveOnLogAxis: series.drops.nonPositiveOnLog)
                }
            }
        }
    }
}
