import Foundation

/// One legend row.
struct LegendEntry: Hashable, Sendable {
    enum Sample: Hashable, Sendable {
        case line(LineDash, width: Double)
        case symbol(MarkerShape)
        case lineAndSymbol(LineDash, width: Double, MarkerShape)
        case box(fill: Int32)
    }

    var text: String
    var color: Int32
    var sample: Sample
}

/// Where a legend is drawn, in the terms of `pllegend`.
enum LegendPlacement: Hashable, Sendable {
    case inside(Corner)
    case outsideRight
    /// Under the x-axis label, entries in `columns` columns (row by row).
    case below(columns: Int)
}

/// A panel's legend: entries, estimated size and placement.
struct LegendPlan: Hashable, Sendable {
    /// Legend text relative to the base font; spacing/offset/sample width in legend text heights.
    static let textScale = 0.9
    static let spacing = 1.55
    static let textOffset = 0.7
    static let sampleWidth = 2.6
    /// Gap between legend and frame, in base em.
    static let inset = 0.5

    var entries: [LegendEntry]
    var placement: LegendPlacement

    /// Estimated size in base em (text widths are estimates; see ``TextMetrics``).
    var widthEm: Double { Self.width(entries) }
    var heightEm: Double {
        if case .below(let columns) = placement { return Self.height(entries, columns: columns) }
        return Self.height(entries, columns: 1)
    }

    /// Estimated width of one legend column, in em.
    static func width(_ entries: [LegendEntry]) -> Double {
        let text = entries.map { TextMetrics.width($0.text) }.max() ?? 0
        return textScale * (sampleWidth + textOffset + text + 1.5)
    }

    /// Estimated height with `columns` columns, in em.
    static func height(_ entries: [LegendEntry], columns: Int) -> Double {
        let rows = (entries.count + max(columns, 1) - 1) / max(columns, 1)
        return textScale * spacing * (Double(rows) + 0.5)
    }

    /// Legend rows for the series of a panel, in order; series and groups with an empty
    /// label get none.
    static func entries(for data: PanelData) -> [LegendEntry] {
        var entries: [LegendEntry] = []
        for series in data.series {
            let style = series.style
            let width = style.lineWidth
            func add(_ sample: LegendEntry.Sample) {
                let label = series.label.trimmingCharacters(in: .whitespaces)
                if !label.isEmpty { entries.append(LegendEntry(text: label, color: style.color, sample: sample)) }
            }
            switch series.geometry {
            case .xy(_, .line): add(.line(style.dash, width: width))
            case .xy(_, .markers): add(.symbol(style.marker))
            case .xy(_, .lineAndMarkers): add(.lineAndSymbol(style.dash, width: width, style.marker))
            case .errorBars(_, let connect): add(connect ? .lineAndSymbol(style.dash, width: width, style.marker) : .symbol(style.marker))
            case .density: add(.line(style.dash, width: width))
            case .histogram(_, let filled): add(filled ? .box(fill: style.fill) : .line(style.dash, width: width))
            case .bars(_, let groups):
                for (label, groupStyle) in groups where !label.trimmingCharacters(in: .whitespaces).isEmpty {
                    entries.append(LegendEntry(text: label, color: groupStyle.color, sample: .box(fill: groupStyle.color)))
                }
            }
        }
        return entries
    }
}

