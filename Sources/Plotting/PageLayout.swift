/// Where the page title and the panel cells go on a page.
struct PageLayout: Hashable, Sendable {
    /// Page-title scale relative to the base font.
    static let titleScale = 1.35

    /// Vertical centre of the title line (normalised), nil without title.
    var titleCenterY: Double?
    /// One cell per panel, row by row from the top left.
    var cells: [Rect]

    init(page: Page, metrics: DeviceMetrics) {
        let outer = Rect(x0: 0, x1: 1, y0: 0, y1: 1)
            .inset(left: metrics.horizontal(0.8), right: metrics.horizontal(0.8),
                   bottom: metrics.vertical(0.5), top: metrics.vertical(0.5))
        var area = outer
        if page.title.isEmpty {
            titleCenterY = nil
        } else {
            let band = metrics.vertical(2.0 * Self.titleScale)
            titleCenterY = outer.y1 - band / 2
            area.y1 -= band
        }
        let rows = max(page.rows, 1)
        let columns = max(page.columns, 1)
        let gapX = metrics.horizontal(1.2)
        let gapY = metrics.vertical(0.8)
        let cellWidth = (area.width - gapX * Double(columns - 1)) / Double(columns)
        let cellHeight = (area.height - gapY * Double(rows - 1)) / Double(rows)
        cells = page.panels.indices.map { index in
            let row = index / columns
            let column = index % columns
            let x0 = area.x0 + Double(column) * (cellWidth + gapX)
            let y1 = area.y1 - Double(row) * (cellHeight + gapY)
            return Rect(x0: x0, x1: x0 + cellWidth, y0: y1 - cellHeight, y1: y1)
        }
    }
}
