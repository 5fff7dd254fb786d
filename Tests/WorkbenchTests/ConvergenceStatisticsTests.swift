import Foundation
import Testing
import Workbench

/// The draws and the diagnostics posteriordb ships for eight_schools_noncentered
/// (Fixtures/README.md): 10 chains × 1000 draws of 10 parameters, with bulk-ESS, tail-ESS, R̂
/// and the mean lag-1 autocorrelation computed by Stan's `posterior` package.
private struct EightSchoolsFixture {
    struct Info: Decodable {
        struct Diagnostics: Decodable {
            struct Information: Decodable { let names: [String] }
            let diagnosticInformation: Information
            let ndraws: Int
            let nchains: Int
            let effectiveSampleSizeBulk: [Double]
            let effectiveSampleSizeTail: [Double]
            let rHat: [Double]
            let meanLag1Ac: [Double]
        }
        let diagnostics: Diagnostics
    }

    /// `draws[c][name]` is chain c's draws of parameter `name`.
    let draws: [[String: [Double]]]
    let diagnostics: Info.Diagnostics

    init() throws {
        func load(_ name: String) throws -> Data {
            let url = try #require(
                Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
                "missing fixture Fixtures/\(name).json")
            return try Data(contentsOf: url)
        }
        draws = try JSONDecoder().decode(
            [[String: [Double]]].self, from: load("eight_schools_noncentered.draws"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        diagnostics = try decoder.decode(
            Info.self, from: load("eight_schools_noncentered.draws.info")).diagnostics
    }

    /// The chains of one parameter, chain-major.
    func chains(_ name: String) throws -> [[Double]] {
        try draws.map { try #require($0[name], "parameter \(name) missing from a chain") }
    }
}

@Suite("Convergence statistics")
struct ConvergenceStatisticsTests {
    // MARK: Golden values (acceptance test)

    /// Bulk-ESS and tail-ESS to 1e−6 relative and R̂ to 1e−5 absolute, for all ten parameters,
    /// against Stan's `posterior` (DIAGNOSTICS.md). Measured: ESS agrees to ~1e−14 relative;
    /// R̂ to ~1.2e−6, because the draws were stored with 15 significant digits, which turns
    /// the near-tie of the two middle draws' folded values |x − median| into an exact tie or
    /// flips it for six parameters — a one-rank change at the extreme of the folded ranks.
    @Test func eightSchoolsMatchesPosterior() throws {
        let fixture = try EightSchoolsFixture()
        let expected = fixture.diagnostics
        let names = expected.diagnosticInformation.names
        #expect(names.count == 10)
        #expect(expected.nchains == 10 && expected.ndraws == 10_000)
        var worstESS = 0.0
        var worstRhat = 0.0
        for (index, name) in names.enumerated() {
            let chains = try fixture.chains(name)
            #expect(chains.count == 10 && chains.allSatisfy { $0.count == 1000 })
            let summary = try ConvergenceSummary(chains: chains)
            let bulk = try #require(summary.bulkESS, "bulk-ESS of \(name)")
            let tail = try #require(summary.tailESS, "tail-ESS of \(name)")
            let rhat = try #require(summary.rhat, "R̂ of \(name)")
            let bulkError = abs(bulk / expected.effectiveSampleSizeBulk[index] - 1)
            let tailError = abs(tail / expected.effectiveSampleSizeTail[index] - 1)
            let rhatError = abs(rhat - expected.rHat[index])
            #expect(bulkError < 1e-6, "bulk-ESS of \(name): \(bulk) vs \(expected.effectiveSampleSizeBulk[index])")
            #expect(tailError < 1e-6, "tail-ESS of \(name): \(tail) vs \(expected.effectiveSampleSizeTail[index])")
            #expect(rhatError < 1e-5, "R̂ of \(name): \(rhat) vs \(expected.rHat[index])")
            worstESS = max(worstESS, bulkError, tailError)
            worstRhat = max(worstRhat, rhatError)

            // The single-statistic entry points agree with the summary.
            #expect(try ConvergenceStatistics.bulkESS(chains) == summary.bulkESS)
            #expect(try ConvergenceStatistics.tailESS(chains) == summary.tailESS)
            #expect(try ConvergenceStatistics.rhat(chains) == summary.rhat)

            // posteriordb's mean_lag1_ac: mean over the unsplit chains of ρ̂(1).
            let lag1 = try #require(try ConvergenceStatistics.meanLag1Autocorrelation(chains))
            #expect(abs(lag1 - expected.meanLag1Ac[index]) < 1e-12, "lag-1 of \(name)")
        }
        print("eight_schools_noncentered vs posterior: max relative ESS error \(worstESS), max R̂ error \(worstRhat)")
    }

    // MARK: Building blocks, by hand

    @Test func type7QuantilesOfATinyArray() {
        // Sorted: 1 1 2 3 4 5 6 9. h = 7p; Q = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋₊₁₎ − x₍⌊h⌋₎), 0-based.
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        let cases: [(p: Double, q: Double)] = [
            (0, 1), (0.05, 1), (0.25, 1.75), (0.5, 3.5), (0.75, 5.25), (0.95, 7.95), (1, 9),
        ]
        for (p, q) in cases {
            let got = ConvergenceStatistics.quantileType7(values, probability: p)
            #expect(got.map { abs($0 - q) < 1e-12 } == true, "Q(\(p)) = \(String(describing: got)), expected \(q)")
        }
        #expect(ConvergenceStatistics.quantileType7(sorted: [1, 2, 3, 4, 5], probability: 0.1) == 1.4)
        #expect(ConvergenceStatistics.median(values) == 3.5)
        #expect(ConvergenceStatistics.median([7, 1, 3]) == 3)
        #expect(ConvergenceStatistics.quantileType7([], probability: 0.5) == nil)
        #expect(ConvergenceStatistics.quantileType7(values, probability: 1.5) == nil)
        #expect(ConvergenceStatistics.quantileType7([1, .nan], probability: 0.5) == nil)
        #expect(ConvergenceStatistics.median([]) == nil)
    }

    @Test func tiesGetAverageRanks() throws {
        #expect(ConvergenceStatistics.averageRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(ConvergenceStatistics.averageRanks([5, 5, 5, 1]) == [3, 3, 3, 1])
        #expect(ConvergenceStatistics.averageRanks([2, 1, 2, 1, 2]) == [4, 1.5, 4, 1.5, 4])
        #expect(ConvergenceStatistics.averageRanks([]) == [])
        #expect(ConvergenceStatistics.averageRanks([1, .nan]) == nil)

        // z = Φ⁻¹((r − 3/8)/(S + 1/4)); S = 4, ranks 1, 2.5, 2.5, 4 across two chains:
        // the tied pair maps to Φ⁻¹(1/2) = 0, the extremes to ±Φ⁻¹(0.625/4.25).
        let z = try #require(try ConvergenceStatistics.rankNormalize([[10, 20], [20, 30]]))
        let extreme = -1.0491313979639707  // Φ⁻¹(0.625/4.25)
        #expect(abs(z[0][0] - extreme) < 1e-12)
        #expect(z[0][1] == z[1][0])
        #expect(abs(z[0][1]) < 1e-15)
        #expect(abs(z[1][1] + extreme) < 1e-12)
        #expect(try ConvergenceStatistics.rankNormalize([[1, .infinity]]) == nil)
        // A run of three ties takes the middle rank's score, 3 of 4 here: the same as the
        // untied draw of rank 3.
        let triple = try #require(try ConvergenceStatistics.rankNormalize([[5, 5], [5, 1]]))
        let distinct = try #require(try ConvergenceStatistics.rankNormalize([[3, 4], [2, 1]]))
        #expect(triple == [[distinct[0][0], distinct[0][0]], [distinct[0][0], distinct[1][1]]])
    }

    @Test func splittingDropsTheMiddleDraw() throws {
        let chains: [[Double]] = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]
        #expect(try ConvergenceStatistics.splitChains(chains) == [[1, 2], [6, 7], [4, 5], [9, 10]])
        #expect(try ConvergenceStatistics.splitChains([[1, 2, 3, 4]]) == [[1, 2], [3, 4]])
        #expect(try ConvergenceStatistics.splitChains([[1], [2]]) == [[1], [2]])
        #expect(try ConvergenceStatistics.splitChains([]) == [])
    }

    @Test func foldingIsAboutTheMedianOfAllDraws() throws {
        // All draws: 1 2 3 4 10 20, median 3.5.
        let folded = try ConvergenceStatistics.foldAroundMedian([[1, 2, 10], [3, 4, 20]])
        #expect(folded == [[2.5, 1.5, 6.5], [0.5, 0.5, 16.5]])
    }

    @Test func autocovarianceIsTheBiasedEstimate() throws {
        // x = 1 2 3: y = −1 0 1, γ̂(0) = 2/3, γ̂(1) = (−1·0 + 0·1)/3 = 0, γ̂(2) = (−1·1)/3.
        let small = try #require(ConvergenceStatistics.autocovariance([1, 2, 3]))
        #expect(small.count == 3)
        #expect(abs(small[0] - 2.0 / 3) < 1e-15)
        #expect(abs(small[1]) < 1e-15)
        #expect(abs(small[2] + 1.0 / 3) < 1e-15)

        // Lengths that are and are not 2,3,5-smooth, against the O(N²) definition.
        for n in [2, 7, 13, 64, 97, 250] {
            let x: [Double] = (0..<n).map { i in
                let wave = sin(Double(i) * 1.3)
                let ramp = 0.01 * Double(i * i % 17)
                return wave + ramp
            }
            let mean = x.reduce(0, +) / Double(n)
            let y = x.map { $0 - mean }
            let fast = try #require(ConvergenceStatistics.autocovariance(x))
            for t in 0..<n {
                var direct = 0.0
                for i in 0..<(n - t) { direct += y[i] * y[i + t] }
                direct /= Double(n)
                #expect(abs(fast[t] - direct) < 1e-12, "n = \(n), lag \(t)")
            }
        }
        #expect(ConvergenceStatistics.autocovariance([4, 4, 4]) == [0, 0, 0])
        #expect(ConvergenceStatistics.autocovariance([]) == nil)
        #expect(ConvergenceStatistics.autocovariance([1, .nan]) == nil)
    }

    @Test func lag1AutocorrelationByHand() throws {
        // Chain 1 2 3: y = −1 0 1, Σy² = 2, Σyᵢyᵢ₊₁ = 0 → ρ̂(1) = 0.
        // Chain 1 −1 1: mean 1/3, y = 2/3 −4/3 2/3, Σy² = 24/9, Σyᵢyᵢ₊₁ = −16/9 → ρ̂(1) = −2/3.
        let value = try ConvergenceStatistics.meanLag1Autocorrelation([[1, 2, 3], [1, -1, 1]])
        #expect(value.map { abs($0 - (0 + -2.0 / 3) / 2) < 1e-15 } == true)
        // 1 −1 1 −1: mean 0, Σy² = 4, Σyᵢyᵢ₊₁ = −3 → −3/4.
        let alternating = try ConvergenceStatistics.meanLag1Autocorrelation([[1, -1, 1, -1]])
        #expect(alternating.map { abs($0 + 0.75) < 1e-15 } == true)
        #expect(try ConvergenceStatistics.meanLag1Autocorrelation([[1, 2, 3], [5, 5, 5]]) == nil)
        #expect(try ConvergenceStatistics.meanLag1Autocorrelation([[1], [2]]) == nil)
    }

    @Test func basicRhatByHand() throws {
        // Identical chains: B = 0, so R̂ = √((N − 1)/N) exactly.
        let chain: [Double] = [0.3, -1.2, 2.0, 0.7, -0.4, 1.1]
        let identical = try #require(try ConvergenceStatistics.basicRhat([chain, chain, chain]))
        #expect(abs(identical - (5.0 / 6).squareRoot()) < 1e-14)
        // Two chains 0 1 2 and 3 4 5: means 1 and 4, variances 1: B = 3 · 4.5, W = 1,
        // R̂ = √((13.5 + 2)/3).
        let shifted = try #require(try ConvergenceStatistics.basicRhat([[0, 1, 2], [3, 4, 5]]))
        #expect(abs(shifted - (15.5 / 3).squareRoot()) < 1e-14)
        #expect(try ConvergenceStatistics.basicRhat([[0, 1, 2]]) == nil)
        #expect(try ConvergenceStatistics.basicRhat([[0, 0], [1, 1]]) == .infinity)
    }

    // MARK: Composition: the one-sort paths equal the building blocks

    /// Odd-length chains (the middle draw is dropped) with many ties (values rounded to a
    /// coarse grid), so the one-sort rank, fold and quantile paths of `ConvergenceSummary`
    /// are checked against the composition of the public building blocks.
    @Test func summaryEqualsTheComposedBuildingBlocks() throws {
        var random = ConvergenceTestNormals(seed: 20_210_601)
        let chains = (0..<3).map { chain in
            (0..<401).map { _ in (4 * random.next()).rounded() / 4 + (chain == 2 ? 0.3 : 0) }
        }
        let summary = try ConvergenceSummary(chains: chains)
        let split = try ConvergenceStatistics.splitChains(chains)
        let z = try #require(try ConvergenceStatistics.rankNormalize(split))
        let folded = try #require(try ConvergenceStatistics.foldAroundMedian(chains))
        let zFolded = try #require(try ConvergenceStatistics.rankNormalize(
            ConvergenceStatistics.splitChains(folded)))
        let bulkRhat = try #require(try ConvergenceStatistics.basicRhat(z))
        let tailRhat = try #require(try ConvergenceStatistics.basicRhat(zFolded))
        let rhat = try #require(summary.rhat)
        #expect(abs(rhat - max(bulkRhat, tailRhat)) < 1e-12)

        let bulk = try #require(try ConvergenceStatistics.basicESS(z))
        #expect(abs(try #require(summary.bulkESS) / bulk - 1) < 1e-12)

        let all = chains.flatMap { $0 }
        var tails: [Double] = []
        for p in [0.05, 0.95] {
            let q = try #require(ConvergenceStatistics.quantileType7(all, probability: p))
            let indicator = chains.map { $0.map { $0 <= q ? 1.0 : 0.0 } }
            let ess = try #require(try ConvergenceStatistics.basicESS(
                ConvergenceStatistics.splitChains(indicator)))
            #expect(try ConvergenceStatistics.quantileESS(chains, probability: p) == ess)
            tails.append(ess)
        }
        #expect(summary.tailESS == tails.min())
    }

    // MARK: R̂ of well- and badly-mixed chains

    @Test func rhatOfIdenticalChainsIsNearOne() throws {
        var random = ConvergenceTestNormals(seed: 7)
        let chain = (0..<2000).map { _ in random.next() }
        // Split halves of iid draws: R̂ − 1 = O(1/N); 0.01 is the usual convergence threshold.
        let rhat = try #require(try ConvergenceStatistics.rhat([chain, chain, chain, chain]))
        #expect(abs(rhat - 1) < 0.01, "R̂ = \(rhat)")
    }

    @Test func rhatOfChainsWithShiftedMeansExceedsOne() throws {
        var random = ConvergenceTestNormals(seed: 11)
        let chains = (0..<4).map { chain in
            (0..<1000).map { _ in random.next() + (chain == 3 ? 1 : 0) }
        }
        // One chain in four shifted by one standard deviation: B/W ≈ N·var(means) ≈ 0.2 N,
        // R̂ ≈ √(1 + 0.2) ≈ 1.1 — far above 1.01.
        let rhat = try #require(try ConvergenceStatistics.rhat(chains))
        #expect(rhat > 1.05, "R̂ = \(rhat)")
        // Shifted scale only: the folded R̂ catches it.
        let scaled = (0..<4).map { chain in
            (0..<1000).map { _ in random.next() * (chain == 3 ? 3 : 1) }
        }
        let scaleRhat = try #require(try ConvergenceStatistics.rhat(scaled))
        #expect(scaleRhat > 1.05, "R̂ = \(scaleRhat)")
    }

    // MARK: Undefined and invalid input

    @Test func undefinedCasesAreNil() throws {
        let empty = ConvergenceSummary(bulkESS: nil, tailESS: nil, rhat: nil)
        var random = ConvergenceTestNormals(seed: 3)
        let good = (0..<4).map { _ in (0..<100).map { _ in random.next() } }
        var withNaN = good
        withNaN[2][50] = .nan
        var withInfinity = good
        withInfinity[0][0] = -.infinity
        #expect(try ConvergenceSummary(chains: withNaN) == empty)
        #expect(try ConvergenceSummary(chains: withInfinity) == empty)
        #expect(try ConvergenceSummary(chains: [[2, 2, 2, 2, 2], [2, 2, 2, 2, 2]]) == empty)
        #expect(try ConvergenceSummary(chains: [[1, 2, 3], [4, 5, 6]]) == empty)  // < 4 draws
        #expect(try ConvergenceSummary(chains: []) == empty)
        #expect(try ConvergenceSummary(chains: [[], []]) == empty)
        #expect(try ConvergenceStatistics.bulkESS(withNaN) == nil)
        #expect(try ConvergenceStatistics.tailESS(withInfinity) == nil)
        #expect(try ConvergenceStatistics.rhat([[1, 1, 1, 1], [1, 1, 1, 1]]) == nil)
        #expect(try ConvergenceStatistics.basicESS([[1, 2], [3, 4]]) == nil)  // N < 3
        #expect(try ConvergenceStatistics.basicESS([[1, 1, 1]]) == nil)
        #expect(try ConvergenceStatistics.quantileESS(good, probability: -0.1) == nil)
        // Two values symmetric about the median fold to a constant: R̂ undefined, as posterior.
        let twoValues = [[-1.0, 1, -1, 1, 1, -1], [1.0, -1, 1, -1, -1, 1]]
        #expect(try ConvergenceStatistics.rhat(twoValues) == nil)
        // A well-defined case for contrast.
        let summary = try ConvergenceSummary(chains: good)
        #expect(summary.bulkESS != nil && summary.tailESS != nil && summary.rhat != nil)
    }

    @Test func unequalChainLengthsThrow() {
        let chains: [[Double]] = [[1, 2, 3, 4, 5], [1, 2, 3, 4], [1, 2, 3, 4, 5]]
        #expect(throws: ConvergenceError.unequalChainLengths([5, 4, 5])) {
            try ConvergenceSummary(chains: chains)
        }
        #expect(throws: ConvergenceError.self) { try ConvergenceStatistics.bulkESS(chains) }
        #expect(throws: ConvergenceError.self) { try ConvergenceStatistics.splitChains(chains) }
        #expect(throws: ConvergenceError.self) { try ConvergenceStatistics.basicRhat(chains) }
        #expect(throws: ConvergenceError.self) {
            try ConvergenceStatistics.meanLag1Autocorrelation(chains)
        }
        #expect(ConvergenceError.unequalChainLengths([5, 4, 5]).description.contains("5, 4, 5"))
    }
}
