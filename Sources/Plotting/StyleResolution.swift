/// The PLplot colour map 0 used by every stream: fixed indices for the neutral colours,
/// then the series colours and their translucent fill variants.
enum ColorMap {
    static let background: Int32 = 0
    static let foreground: Int32 = 1
    static let secondaryText: Int32 = 2
    static let grid: Int32 = 3
    static let legendFrame: Int32 = 4
    static let noData: Int32 = 5
    static let grey: Int32 = 6
    static let greyFill: Int32 = 7
    static let firstSeries: Int32 = 8
    static let firstFill: Int32 = 16
    static let count: Int32 = 24
    /// Opacity of histogram/bar fills drawn with a fill index.
    static let fillAlpha = 0.45

    /// The opaque colours, index by index (fill entries repeat the series colours; their
    /// alpha is set separately).
    static var entries: [RGB] {
        let neutral = [Palette.background, Palette.foreground, Palette.secondaryText, Palette.grid,
                       Palette.legendFrame, Palette.noData, RGB(0x77, 0x77, 0x77), RGB(0x77, 0x77, 0x77)]
        return neutral + Palette.seriesCycle + Palette.seriesCycle
    }
}

/// A series' look with every automatic choice made.
struct ResolvedStyle: Hashable, Sendable {
    var color: Int32
    var fill: Int32
    var marker: MarkerShape
    var dash: LineDash
    var lineWidth: Double
}

/// Hands out automatic colours, markers and dashes in order, per panel.
///
/// Contract: the n-th automatic series gets colour n mod 8 and marker (n + ⌊n/8⌋) mod 8, so
/// the first 64 series of a panel never share a colour and marker pair (series 8 has the
/// colour of series 0 and the marker of series 1); lines likewise take dash
/// (n + ⌊n/8⌋) mod 5. Report pages keep panels to at most 8 series, so within a panel the
/// colour alone already tells series apart.
struct StyleAllocator {
    private var nextColor = 0
    private var nextMarker = 0
    private var nextDash = 0

    static let markerCycle: [MarkerShape] = [.circle, .square, .triangleUp, .diamond, .triangleDown, .openCircle, .openSquare, .openTriangle]
    static let dashCycle: [LineDash] = [.solid, .dashed, .dotted, .dashDot, .longDash]

    mutating func color(_ requested: SeriesColor) -> (color: Int32, fill: Int32) {
        switch requested {
        case .automatic:
            defer { nextColor += 1 }
            return Self.cycleIndices(nextColor)
        case .cycle(let index): return Self.cycleIndices(index)
        case .black: return Self.cycleIndices(7)
        case .grey: return (ColorMap.grey, ColorMap.greyFill)
        }
    }

    private static func cycleIndices(_ index: Int) -> (Int32, Int32) {
        let slot = Int32(((index % 8) + 8) % 8)
        return (ColorMap.firstSeries + slot, ColorMap.firstFill + slot)
    }

    /// Resolves `style`; `usesMarker`/`dashable` say whether this kind consumes a marker or
    /// a dash from the automatic cycles (so e.g. a density curve stays solid).
    mutating func resolve(_ style: SeriesStyle, usesMarker: Bool, dashable: Bool) -> ResolvedStyle {
        let (color, fill) = color(style.color)
        var marker = style.marker ?? .circle
        if style.marker == nil, usesMarker {
            marker = Self.markerCycle[(nextMarker + nextMarker / 8) % Self.markerCycle.count]
            nextMarker += 1
        }
        var dash = style.dash ?? .solid
        if style.dash == nil, dashable {
            dash = Self.dashCycle[(nextDash + nextDash / 8) % Self.dashCycle.count]
            nextDash += 1
        }
        let width = style.lineWidth.isFinite && style.lineWidth > 0 ? style.lineWidth : 1
        return ResolvedStyle(color: color, fill: fill, marker: marker, dash: dash, lineWidth: width)
    }
}
