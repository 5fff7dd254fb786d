import Foundation
import Testing
@testable import Plotting

/// Cleaning, transformation and counting of series data.
@Suite struct DataPreparationTests {
    @Test func logAxesDropAndCountNonPositiveValues() {
        let panel = Panel(x: .log(), y: .log(), series: [.line("l", x: [1, 10, -1, 100, 1000], y: [1, 0, 5, 10, .nan])])
        let data = PanelData(panel: panel)
        #expect(data.drops == DropCounts(nonFinite: 1, nonPositiveOnLog: 2))
        guard case .xy(let runs, _) = data.series[0].geometry else { Issue.record("not xy"); return }
        // Dropped points break the line instead of joining across the gap.
        #expect(runs == [[Point(x: 0, y: 0)], [Point(x: 2, y: 1)]])
    }

    @Test func unequalLengthsAreTruncatedAndCounted() {
        let data = PanelData(panel: Panel(series: [.markers("m", x: [1, 2, 3], y: [4])]))
        #expect(data.drops.nonFinite == 2)
        #expect(data.hasData)
    }

    @Test func nonPositiveLowerErrorOnLogAxisRunsToTheAxis() {
        let panel = Panel(y: .log(), series: [.errorBars("e", x: [1], y: [2], yLow: [-1], yHigh: [4])])
        guard case .errorBars(let points, _) = PanelData(panel: panel).series[0].geometry else { Issue.record("not error bars"); return }
        #expect(points.first?.low == -.infinity)
        #expect(points.first?.high == log10(4))
    }

    @Test func groupedBarsGetOneColourPerGroupAndCategoryAxis() {
        let panel = SamplePages.groupedBars
        let data = PanelData(panel: panel)
        #expect(data.categories?.count == 4)
        guard case .bars(let bars, let groups) = data.series[0].geometry else { Issue.record("not bars"); return }
        #expect(bars.count == 16)
        #expect(Set(groups.map(\.1.color)).count == 4)
        #expect(LegendPlan.entries(for: data).map(\.text) == ["SGLD", "SGHMC", "SGNHT", "pSGLD"])
    }

    @Test func automaticStylesDifferInColourMarkerAndDash() {
        let x = [1.0, 2, 3]
        let data = PanelData(panel: Panel(series: [
            .line("a", x: x, y: x), .line("b", x: x, y: x), .markers("c", x: x, y: x), .markers("d", x: x, y: x),
        ]))
        let styles = data.series.map(\.style)
        #expect(Set(styles.map(\.color)).count == 4)
        #expect(styles[0].dash != styles[1].dash)
        #expect(styles[2].marker != styles[3].marker)
    }

    @Test func clippingKeepsOnlyTheVisiblePart() {
        let pieces = Clipping.polyline([Point(x: -10, y: 0.5), Point(x: 0.5, y: 0.5), Point(x: 1e300, y: 0.5)], x: 0...1, y: 0...1)
        #expect(pieces == [[Point(x: 0, y: 0.5), Point(x: 0.5, y: 0.5), Point(x: 1, y: 0.5)]])
        #expect(Clipping.segment(Point(x: 2, y: 2), Point(x: 3, y: 3), x: 0...1, y: 0...1) == nil)
    }
}
