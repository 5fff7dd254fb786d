import Testing
@testable import Workbench

/// The report of which OpenBLAS kernels run (`bench perf`'s machine line): generic kernels on a
/// CPU with wider vector units are named, with the setting that selects fitting ones.
@Suite struct BLASKernelsTests {
    static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]

    @Test func genericKernelsOnAWiderCPUAreNamedWithTheSetting() throws {
        let onAVX512 = try #require(BLASKernels.advice(coreName: "Prescott", cpuFlags: Self.avx512, coreTypeSetting: nil))
        #expect(onAVX512.contains("Prescott kernels") && onAVX512.contains("OPENBLAS_CORETYPE=SkylakeX"))
        let onAVX2 = try #require(BLASKernels.advice(coreName: "Nehalem", cpuFlags: ["sse3", "avx", "avx2", "fma"], coreTypeSetting: nil))
        #expect(onAVX2.contains("OPENBLAS_CORETYPE=Haswell") && onAVX2.contains("AVX2"))
    }

    @Test func fittingKernelsOrAnExplicitSettingNeedNoAdvice() {
        #expect(BLASKernels.advice(coreName: "SkylakeX", cpuFlags: Self.avx512, coreTypeSetting: nil) == nil)
        #expect(BLASKernels.advice(coreName: "Haswell", cpuFlags: Self.avx512, coreTypeSetting: nil) == nil)
        #expect(BLASKernels.advice(coreName: "Zen", cpuFlags: ["avx2", "fma"], coreTypeSetting: nil) == nil)
        #expect(BLASKernels.advice(coreName: "Prescott", cpuFlags: ["sse3", "sse4_2"], coreTypeSetting: nil) == nil)
        #expect(BLASKernels.advice(coreName: "Prescott", cpuFlags: Self.avx512, coreTypeSetting: "Prescott") == nil)
    }

    /// The linked library answers (the names come from OpenBLAS itself).
    @Test func theLinkedLibraryNamesItsKernels() {
        #expect(!BLASKernels.coreName.isEmpty)
        #expect(BLASKernels.configuration.hasPrefix("OpenBLAS"))
        #expect(BLASKernels.summary.hasSuffix("(\(BLASKernels.coreName) kernels)"))
        #expect(Provenance.current().libraries["openblas"] == BLASKernels.summary)
    }
}
