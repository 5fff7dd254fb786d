/// Text helpers for PLplot strings: escaping and width estimates.
///
/// Widths are estimates for DejaVu Sans (the fontconfig default on Debian) and DejaVu
/// Sans Mono, in units of PLplot's character height (`plschr`), the unit of all layout
/// here. The cairo driver renders text through pango at 96 dpi, so the font size is 4/3
/// of the character height; glyph advances (in font em) are scaled by that. They are
/// used only for layout (margins, legend size, label thinning), with some slack.
enum TextMetrics {
    /// Font size in character heights (pango's 96 dpi vs PLplot's 72 dpi points).
    static let fontSize = 4.0 / 3.0
    /// Advance of every DejaVu Sans Mono glyph (0.602 em), in character heights, with 8 %
    /// slack: hinting widens small monospaced text.
    static let monoAdvance = 0.602 * fontSize * 1.08

    /// Escapes user text for PLplot, whose escape character is `#` (`#u` superscript etc.):
    /// a literal `#` is written `##`. NUL characters are dropped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "#", with: "##").replacingOccurrences(of: "\0", with: "")
    }

    /// Estimated width of `text` in em. PLplot escapes `#u`/`#d` (super/subscript, drawn
    /// smaller) and `##` are understood; other escapes count as text.
    static func width(_ text: String, mono: Bool = false) -> Double {
        var total = 0.0
        var scale = 1.0
        var iterator = Array(text).makeIterator()
        while let c = iterator.next() {
            if c == "#" {
                switch iterator.next() {
                case "u": scale = 0.85; continue
                case "d": scale = 1.0; continue
                case "#": total += scale * (mono ? monoAdvance : 0.84 * fontSize); continue
                default: continue
                }
            }
            total += scale * (mono ? monoAdvance : charWidth(c) * fontSize)
        }
        return total
    }

    /// DejaVu Sans advance widths in font em (rounded up a little).
    private static func charWidth(_ c: Character) -> Double {
        if c.isNumber, c.isASCII { return 0.64 }
        if c.isUppercase { return c == "I" ? 0.3 : c == "M" || c == "W" ? 0.9 : 0.72 }
        if c.isLowercase {
            switch c {
            case "i", "l", "j": return 0.29
            case "f", "t", "r": return 0.42
            case "m", "w": return 0.88
            default: return 0.62
            }
        }
        switch c {
        case " ", ".", ",", ":", ";", "'", "|", "!": return 0.33
        case "(", ")", "[", "]", "-", "/": return 0.40
        case "−", "×", "+", "=", "<", ">", "~", "≤", "≥": return 0.84
        case "…", "%", "@": return 1.0
        default: return 0.75
        }
    }

    /// `text` shortened with "…" so that its estimated width is at most `maxWidth` em.
    static func truncate(_ text: String, toWidth maxWidth: Double, mono: Bool = false) -> String {
        guard width(text, mono: mono) > maxWidth else { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            let candidate = String(characters) + "…"
            if width(candidate, mono: mono) <= maxWidth { return candidate }
        }
        return ""
    }

    /// `text` broken at spaces into lines whose estimated width is at most `maxWidth` em, at
    /// most `maxLines` of them: a word wider than a line, or what the last line cannot hold,
    /// is shortened with "…". Never returns an empty array for a non-empty text.
    static func wrap(_ text: String, toWidth maxWidth: Double, maxLines: Int = 3) -> [String] {
        guard width(text) > maxWidth, maxLines > 1 else { return [truncate(text, toWidth: maxWidth)] }
        var lines: [String] = []
        var line = ""
        let words = text.split(separator: " ").map(String.init)
        for (index, word) in words.enumerated() {
            let candidate = line.isEmpty ? word : line + " " + word
            if width(candidate) <= maxWidth || line.isEmpty {
                line = candidate
                continue
            }
            if lines.count == maxLines - 1 {
                // The last line takes the rest, shortened.
                line = ([line] + words[index...]).joined(separator: " ")
                break
            }
            lines.append(line)
            line = word
        }
        lines.append(line)
        return lines.map { truncate($0, toWidth: maxWidth) }
    }
}
