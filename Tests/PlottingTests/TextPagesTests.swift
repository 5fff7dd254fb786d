import Foundation
import Testing
@testable import Plotting

/// Text split over pages instead of cut (`Page.textPages`), to the drawer's own capacity
/// (`TextCapacity.page`, `TextPanelDrawer.fit`), and wrapped at spaces (`TextBlock.wrapped`).
@Suite struct TextPagesTests {
    /// Every line of `pages` as the text drawer shows it, on the PDF page and the PNG of the
    /// default `RenderOptions`: `fit` must neither drop nor shorten any line of any page.
    static func drawnWhole(_ pages: [Page]) -> Bool {
        let options = RenderOptions()
        return [options.pdfMetrics, options.pngMetrics].allSatisfy { metrics in
            pages.allSatisfy { page in
                guard case .text(let lines) = page.panels[0].content else { return false }
                let cell = PageLayout(page: page, metrics: metrics).cells[0]
                let (w, h) = TextPanelDrawer.extent(of: TextPanelDrawer.textArea(cell: cell, hasTitle: false, metrics: metrics),
                                                    metrics: metrics)
                return lines.count <= TextCapacity.page.lines && TextPanelDrawer.fit(lines, widthEm: w, heightEm: h).lines == lines
            }
        }
    }

    @Test func longTablesSplitOverPagesWithTheirHeadersAndNothingCut() throws {
        let capacity = TextCapacity.page
        #expect(capacity.lines >= 40 && capacity.characters >= 120)
        let blocks = (1...5).map { t in
            TextBlock(title: ["target \(t)"], table: TextTable(headers: ["rank", "sampler"],
                                                                rows: (1...(t * 17)).map { ["\($0)", "s\(t)-\($0)"] }))
        } + [TextBlock(lines: [String(repeating: "word ", count: 80)])]
        let pages = Page.textPages(title: "Ranking", stem: "rankings", blocks: blocks)
        #expect(pages.count > 2)
        #expect(pages.map(\.title) == pages.indices.map { "Ranking (\($0 + 1)/\(pages.count))" })
        #expect(pages.map(\.stem) == pages.indices.map { "rankings-\($0 + 1)" })
        let whole = Self.drawnWhole(pages)
        #expect(whole)
        let shown = pages.flatMap { page -> [String] in
            guard case .text(let lines) = page.panels[0].content else { return [] }
            return lines
        }
        // Every row once, in order; every page that holds a row of a table starts that table's part with its header.
        for t in 1...5 {
            #expect(shown.filter { $0.hasSuffix(" s\(t)-1") || $0.contains(" s\(t)-") }.count == t * 17)
        }
        for page in pages {
            guard case .text(let lines) = page.panels[0].content else { continue }
            #expect(lines.first != "" && lines.last != "")
            for (i, line) in lines.enumerated() where line.contains(" s") && line.first == " " {
                let t = line.split(separator: "s").last!.split(separator: "-").first!
                let header = lines[..<i].lastIndex(of: "target \(t)")
                #expect(header != nil, "row \(line) of page \(page.stem) has no header above it")
            }
            #expect(lines.last?.hasPrefix("target") != true, "a header left alone at the bottom of \(page.stem)")
        }
        #expect(shown.allSatisfy { $0.count <= capacity.characters })
        #expect(shown.joined(separator: " ").components(separatedBy: "word").count - 1 == 80)
        // A list not kept together fills the page it starts on and continues under its title.
        let list = TextBlock(header: ["list:"], lines: (1...20).map { "item \($0)" }, keepTogether: false)
        let filled = Page.textPages(title: "T", stem: "t", blocks: [TextBlock(lines: Array(repeating: "x", count: capacity.lines - 10)), list])
        let texts = filled.map { page -> [String] in
            guard case .text(let lines) = page.panels[0].content else { return [] }
            return lines
        }
        #expect(texts.count == 2 && texts[0].count == capacity.lines && texts[1].first == "list:")
        #expect(texts.joined().filter { $0.hasPrefix("item") } == (1...20).map { "item \($0)" })
        // Kept together, it moves whole to the next page.
        var kept = list
        kept.keepTogether = true
        let moved = Page.textPages(title: "T", stem: "t", blocks: [TextBlock(lines: Array(repeating: "x", count: capacity.lines - 10)), kept])
        guard case .text(let second)? = moved.last?.panels.first?.content else { Issue.record("no page"); return }
        #expect(moved.count == 2 && second.count == 21)
        // A wrapped item (an entry of two lines) is never split between pages.
        let items = TextBlock(header: ["items:"], entries: (1...20).map { ["item \($0)", "  its second line"] }, keepTogether: false)
        // 8 lines of room: the header and three items, not the first line of a fourth.
        let paired = Page.textPages(title: "T", stem: "t", blocks: [TextBlock(lines: Array(repeating: "x", count: capacity.lines - 9)), items])
        for page in paired {
            guard case .text(let lines) = page.panels[0].content else { continue }
            #expect(lines.first != "  its second line" && lines[1] != "  its second line" && lines.last?.hasPrefix("item") != true)
        }
        #expect(paired.count == 2)
        // One page: no numbering.
        let one = Page.textPages(title: "T", stem: "t", blocks: [TextBlock(lines: ["a", "b"])])
        #expect(one.map(\.title) == ["T"] && one.map(\.stem) == ["t"])
    }

    @Test func wrappingKeepsAlignmentAndEveryWord() {
        let text = "samplers      sgld, sgld-cv, psgld, psgld-gamma, adam-sgld, asgld, fsgld"
        let lines = TextBlock.wrapped(text, width: 30, indent: 14)
        #expect(lines.first == "samplers      sgld, sgld-cv,")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 14)) && $0.count <= 30 })
        #expect(lines.joined(separator: " ").split(separator: " ") == text.split(separator: " "))
        #expect(TextBlock.wrapped("short", width: 30) == ["short"])
        #expect(TextBlock.wrapped("", width: 30).isEmpty)
        #expect(TextBlock.wrapped("a-very-long-word-without-spaces tail", width: 10) == ["a-very-long-word-without-spaces", "tail"])
    }
}
