import Foundation
import Testing
import Plotting

/// PLplot keeps global state; the renderer must serialise it for concurrent callers.
@Suite struct ConcurrencyTests {
    @Test func concurrentRendersAllProduceValidFiles() async throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pages = SamplePages.report
        let renderer = PlotRenderer()

        let outputs = try await withThrowingTaskGroup(of: (URL, [URL]).self) { group in
            for task in 0..<6 {
                group.addTask {
                    let pdf = directory.appendingPathComponent("task\(task).pdf")
                    try renderer.renderPDF(pages, to: pdf)
                    let pngs = try renderer.renderPNGs(pages, into: directory.appendingPathComponent("png\(task)"))
                    return (pdf, pngs.files)
                }
            }
            var collected: [(URL, [URL])] = []
            for try await output in group { collected.append(output) }
            return collected
        }

        #expect(outputs.count == 6)
        for (pdf, pngs) in outputs {
            #expect(try TestSupport.isPDF(pdf))
            #expect(try TestSupport.pdfInfo(pdf).pages == pages.count)
            #expect(pngs.count == pages.count)
            for png in pngs { #expect(try TestSupport.isPNG(png)) }
        }
    }
}
