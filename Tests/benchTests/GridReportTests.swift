import Foundation
import Testing

/// A small grid writes results, the manifest and a report (multi-page PDF, one PNG per page,
/// summary.md); `bench report` re-renders the same summary from the results alone.
@Suite struct GridReportTests {
    @Test func gridWritesAReportAndReportRerendersIt() throws {
        let folder = try temporaryFolder()
        let (code, out, err) = try bench([
            "grid", "--samplers", "sgld,exact", "--targets", "std-normal-1d,gaussian-illcond",
            "--step-sizes", "0.01,0.05", "--seeds", "1,2", "--steps", "3000", "--chains", "2", "--out", folder.path,
        ])
        #expect(code == 0, "\(err)")
        #expect(out.contains("12 of 12 cells"))
        let fm = FileManager.default
        let lines = try String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 12)
        #expect(fm.fileExists(atPath: folder.appendingPathComponent("grid.json").path))
        let pdf = try Data(contentsOf: folder.appendingPathComponent("report.pdf"))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        let pngs = try fm.contentsOfDirectory(atPath: folder.appendingPathComponent("figures").path).filter { $0.hasSuffix(".png") }
        #expect(pngs.count >= 3)
        for png in pngs {
            let data = try Data(contentsOf: folder.appendingPathComponent("figures/\(png)"))
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        for png in pngs { #expect(html.contains("src=\"figures/\(png)\"")) }
        #expect(html.contains("<h3>gaussian-illcond</h3>"))
        let summaryURL = folder.appendingPathComponent("summary.md")
        let summary = try String(contentsOf: summaryURL, encoding: .utf8)
        #expect(summary.contains("sgld") && summary.contains("gaussian-illcond"))
        try fm.removeItem(at: summaryURL)
        let (again, _, againErr) = try bench(["report", folder.path])
        #expect(again == 0, "\(againErr)")
        #expect(try String(contentsOf: summaryURL, encoding: .utf8) == summary)
    }
}
