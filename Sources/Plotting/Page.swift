/// One page of a report: a title and panels laid out row by row in a grid.
///
/// In the PDF every `Page` is one page; as PNG every page is the file `stem + ".png"`.
public struct Page: Sendable, Hashable {
    /// Drawn in bold at the top of the page; empty = no title band.
    public var title: String
    /// PNG file name without extension. For PNG output it must be non-empty, must not
    /// contain "/" or NUL, must not be "." or "..", and must be unique among the pages.
    public var stem: String
    /// Panels in reading order: left to right, then top to bottom.
    public var panels: [Panel]
    /// Grid size. `rows * columns` must be at least `panels.count`; cells beyond the
    /// panels stay empty.
    public var rows: Int
    /// See ``rows``.
    public var columns: Int

    /// A page with an explicit grid, or (when `rows`/`columns` are `nil`) the smallest
    /// landscape-friendly grid: 1×1, 1×2, 1×3, 2×2, 2×3, 3×3, …
    public init(title: String, stem: String, panels: [Panel], rows: Int? = nil, columns: Int? = nil) {
        self.title = title
        self.stem = stem
        self.panels = panels
        let automatic = Page.automaticGrid(count: panels.count)
        switch (rows, columns) {
        case let (r?, c?): (self.rows, self.columns) = (r, c)
        case let (r?, nil): (self.rows, self.columns) = (r, max(1, (panels.count + max(r, 1) - 1) / max(r, 1)))
        case let (nil, c?): (self.rows, self.columns) = (max(1, (panels.count + max(c, 1) - 1) / max(c, 1)), c)
        case (nil, nil): (self.rows, self.columns) = automatic
        }
    }

    /// A page holding one text panel, e.g. a title page listing the grid specification.
    public static func text(title: String, stem: String, lines: [String]) -> Page {
        Page(title: title, stem: stem, panels: [.text(lines: lines)], rows: 1, columns: 1)
    }

    static func automaticGrid(count: Int) -> (rows: Int, columns: Int) {
        guard count > 1 else { return (1, 1) }
        if count <= 3 { return (1, count) }
        var columns = 1
        while columns * columns < count { columns += 1 }
        let rows = (count + columns - 1) / columns
        return (rows, columns)
    }
}
