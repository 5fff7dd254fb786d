/// An sRGB colour with 8-bit channels.
public struct RGB: Sendable, Hashable {
    /// Channel intensities, 0…255.
    public var red: UInt8
    /// See ``red``.
    public var green: UInt8
    /// See ``red``.
    public var blue: UInt8

    /// A colour from its three channels.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// Parses `"#RRGGBB"` (the `#` is optional). Returns `nil` for anything else.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}

/// The colour-blind-safe palette used for all series.
public enum Palette {
    /// The Okabe–Ito palette in its canonical order:
    /// orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black.
    public static let okabeIto: [RGB] = [
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    ].map { RGB(hex: $0)! }

    /// The order in which series without an explicit colour get their colours: the
    /// Okabe–Ito colours reordered for contrast on white (blue, vermillion, green,
    /// orange, reddish purple, sky blue, yellow, black). Low-contrast yellow comes late.
    public static let seriesCycle: [RGB] = [4, 5, 2, 0, 6, 1, 3, 7].map { okabeIto[$0] }

    /// Neutral greys used for secondary elements.
    static let background = RGB(255, 255, 255)
    static let foreground = RGB(0, 0, 0)
    static let secondaryText = RGB(0x55, 0x55, 0x55)
    static let grid = RGB(0xE0, 0xE0, 0xE0)
    static let legendFrame = RGB(0xA0, 0xA0, 0xA0)
    static let noData = RGB(0x88, 0x88, 0x88)
}

/// How a series (or a bar group) is coloured.
public enum SeriesColor: Sendable, Hashable {
    /// The next colour of ``Palette/seriesCycle`` (counted per panel).
    case automatic
    /// `Palette.seriesCycle[index % 8]`.
    case cycle(Int)
    /// Plain black, e.g. for a reference curve.
    case black
    /// Mid grey, e.g. for a de-emphasised baseline.
    case grey
}

/// Marker glyphs. They are drawn as Unicode glyphs through cairo, so they look the
/// same in the plot and in the legend.
public enum MarkerShape: Sendable, Hashable, CaseIterable {
    case circle, square, triangleUp, diamond, triangleDown, openCircle, openSquare, openTriangle

    /// The glyph drawn with `plstring`.
    var glyph: String {
        switch self {
        case .circle: "●"
        case .square: "■"
        case .triangleUp: "▲"
        case .diamond: "◆"
        case .triangleDown: "▼"
        case .openCircle: "○"
        case .openSquare: "□"
        case .openTriangle: "△"
        }
    }

    /// Relative glyph size, so that all shapes look about equally heavy.
    var relativeSize: Double {
        switch self {
        case .diamond, .square, .openSquare: 0.85
        default: 1.0
        }
    }
}

/// Line dash patterns; each maps to one of PLplot's built-in styles (`pllsty`), so that
/// the legend can show the same pattern.
public enum LineDash: Sendable, Hashable, CaseIterable {
    case solid, dashed, dotted, longDash, dashDot

    /// PLplot's `pllsty` code.
    var plplotStyle: Int32 {
        switch self {
        case .solid: 1
        case .dotted: 2
        case .dashed: 3
        case .longDash: 4
        case .dashDot: 5
        }
    }
}

/// How one series looks. Every field left `nil`/`.automatic` is chosen from the
/// series' position in its panel, so that colour, marker and dash all differ between
/// neighbouring series (readable in greyscale and by colour-blind readers).
public struct SeriesStyle: Sendable, Hashable {
    /// Line, marker and outline colour (fills use a translucent variant).
    public var color: SeriesColor
    /// Marker for kinds that draw markers; `nil` = automatic.
    public var marker: MarkerShape?
    /// Dash for kinds that draw lines; `nil` = automatic (solid for densities,
    /// histogram outlines and error-bar connectors).
    public var dash: LineDash?
    /// Multiplier of the default series line width (1.8 pt on the PDF page).
    public var lineWidth: Double

    /// A style; the defaults leave every choice automatic.
    public init(color: SeriesColor = .automatic, marker: MarkerShape? = nil, dash: LineDash? = nil, lineWidth: Double = 1) {
        self.color = color
        self.marker = marker
        self.dash = dash
        self.lineWidth = lineWidth
    }
}
