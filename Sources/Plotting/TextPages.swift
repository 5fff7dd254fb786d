/// A run of lines for ``Page/textPages(title:stem:blocks:capacity:)``: a table with its
/// heading, a list, a paragraph.
///
/// A block kept together (`keepTogether`, the default) that fits on the current page stays
/// whole, and one that does not starts a new page; one longer than a page, or not kept
/// together, fills the current page and continues on the next. Its `header` (a table's title,
/// column headings and rule; a list's title) is repeated at the top of every page it continues
/// on, and never left alone at the bottom of a page: at least three of its lines go with it.
/// A page break falls between its entries (a wrapped list item stays whole), and only inside
/// an entry longer than a page.
public struct TextBlock: Sendable, Hashable {
    /// Lines shown first, and again on every page the block continues on.
    public var header: [String]
    /// The block's other lines, in entries kept on one page (a row; a wrapped list item).
    public var entries: [[String]]
    /// Whether the block moves to a new page rather than split when it fits on one.
    public var keepTogether: Bool

    /// The block's lines after the header.
    public var lines: [String] { entries.flatMap { $0 } }

    /// A block whose every line is an entry of its own.
    public init(header: [String] = [], lines: [String], keepTogether: Bool = true) {
        self.init(header: header, entries: lines.map { [$0] }, keepTogether: keepTogether)
    }

    public init(header: [String] = [], entries: [[String]], keepTogether: Bool = true) {
        self.header = header
        self.entries = entries
        self.keepTogether = keepTogether
    }

    /// A table as a block: `title` lines, then the table's heading and rule as the header
    /// (repeated on continuation pages), its rows as the lines, then `footer`.
    public init(title: [String] = [], table: TextTable, footer: [String] = []) {
        let lines = table.lines
        self.init(header: title + lines.prefix(2), lines: Array(lines.dropFirst(2)) + footer)
    }

    /// `text` broken at spaces into lines of at most `width` characters, continuation lines
    /// indented by `indent` spaces; runs of spaces inside a line are kept (aligned columns stay
    /// aligned), those at a break are dropped. A word longer than a line keeps a line of its own.
    public static func wrapped(_ text: String, width: Int, indent: Int = 0) -> [String] {
        var lines: [String] = []
        var rest = Substring(text)
        let pad = String(repeating: " ", count: indent)
        var prefix = ""
        while prefix.count + rest.count > width {
            let room = max(width - prefix.count, 1)
            let chars = Array(rest)
            // The last space that leaves a non-blank head within the room, else the first after it.
            let head = chars.prefix(room + 1)
            var cut = head.lastIndex(of: " ")
            if let c = cut, chars[..<c].allSatisfy({ $0 == " " }) { cut = nil }
            if cut == nil { cut = chars.indices.dropFirst(room).first { chars[$0] == " " } }
            guard let at = cut else { break }
            var end = at
            while end > 0 && chars[end - 1] == " " { end -= 1 }
            lines.append(prefix + String(chars[..<end]))
            var next = at
            while next < chars.count && chars[next] == " " { next += 1 }
            rest = Substring(String(chars[next...]))
            prefix = pad
        }
        lines.append(prefix + rest)
        return lines.filter { !$0.allSatisfy { $0 == " " } }
    }
}

/// How much text one page of ``Page/textPages(title:stem:blocks:capacity:)`` shows whole.
public struct TextCapacity: Sendable, Hashable {
    /// Lines a page holds.
    public var lines: Int
    /// The longest line, in characters, drawn without being shortened.
    public var characters: Int

    public init(lines: Int, characters: Int) {
        self.lines = max(lines, 2)
        self.characters = max(characters, 1)
    }

    /// A titled page holding one untitled text panel, at the design page size (11 × 8.5 in,
    /// font scale 1), measured with the text drawer's own layout (`PageLayout`,
    /// `TextPanelDrawer.textArea`, `.capacity`). Pages of any other size at font scale 1 hold
    /// at least as much: the layout scales by the smaller of the page's two ratios to the
    /// design page.
    public static let page: TextCapacity = {
        let metrics = DeviceMetrics(widthUnits: DeviceMetrics.designWidth, heightUnits: DeviceMetrics.designHeight,
                                    fontScale: 1)
        let probe = Page.text(title: "title", stem: "probe", lines: [])
        let cell = PageLayout(page: probe, metrics: metrics).cells[0]
        let area = TextPanelDrawer.textArea(cell: cell, hasTitle: false, metrics: metrics)
        let (widthEm, heightEm) = TextPanelDrawer.extent(of: area, metrics: metrics)
        let fit = TextPanelDrawer.capacity(widthEm: widthEm, heightEm: heightEm)
        return TextCapacity(lines: fit.lines, characters: fit.characters)
    }()
}

extension Page {
    /// `blocks` as text pages (`Page.text`), one blank line between blocks, split over as
    /// many pages as `capacity` needs so that no line is ever cut: titles numbered
    /// "title (k/n)" and stems "stem-k" when there is more than one page. Lines wider than
    /// `capacity.characters` are wrapped at spaces (continuations indented by 2) rather than
    /// shortened. No blank line starts or ends a page. Nothing in → no page.
    public static func textPages(title: String, stem: String, blocks: [TextBlock],
                                 capacity: TextCapacity = .page) -> [Page] {
        let width = capacity.characters
        func fitted(_ lines: [String]) -> [String] {
            lines.flatMap { $0.count <= width ? [$0] : TextBlock.wrapped($0, width: width, indent: 2) }
        }
        var pages: [[String]] = [], current: [String] = []
        func breakPage() {
            while current.last == "" { current.removeLast() }
            if !current.isEmpty { pages.append(current) }
            current = []
        }
        for block in blocks {
            // A header taller than half a page would leave no room for rows: it is text like the rest.
            var header = fitted(block.header), entries = block.entries.map(fitted).filter { !$0.isEmpty }
            if header.count > capacity.lines / 2 {
                entries = header.map { [$0] } + entries
                header = []
            }
            guard !header.isEmpty || !entries.isEmpty else { continue }
            let gap = current.isEmpty ? 0 : 1
            let total = header.count + entries.reduce(0) { $0 + $1.count }
            let first = entries.prefix(3).reduce(0) { $0 + $1.count }
            let room = capacity.lines - current.count - gap
            if total > room && (block.keepTogether && total <= capacity.lines || header.count + first > room) {
                breakPage()
            }
            if !current.isEmpty { current.append("") }
            current += header
            var shown = false
            for entry in entries {
                // A blank line of the block does not open a continuation page.
                if entry == [""] && current.count >= capacity.lines { continue }
                if shown && current.count + entry.count > capacity.lines {
                    breakPage()
                    current = header
                    if entry == [""] { continue }
                }
                for line in entry {
                    if current.count >= capacity.lines {
                        breakPage()
                        current = header
                    }
                    current.append(line)
                }
                shown = true
            }
        }
        breakPage()
        guard pages.count > 1 else {
            return pages.map { Page.text(title: title, stem: stem, lines: $0) }
        }
        return pages.enumerated().map { k, lines in
            Page.text(title: "\(title) (\(k + 1)/\(pages.count))", stem: "\(stem)-\(k + 1)", lines: lines)
        }
    }
}
