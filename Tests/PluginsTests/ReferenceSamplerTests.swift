import Foundation
import Testing
@testable import Plugins
@testable import Workbench

/// The reference sampler against posteriordb. Runs when `hmc` is registered (issue 4); until
/// then it is skipped, not passed.
@Suite struct ReferenceSamplerTests {
    static let hasHMC = Registry.builtin.samplers.contains { $0.id == "hmc" }

    /// `hmc` on `eight-schools-noncentered` reproduces posteriordb's reference means of μ and τ
    /// (`data/posteriordb/eight_schools_noncentered.mean_value.json`: E[μ] = 4.4105,
    /// E[τ] = 3.6021) within Monte Carlo error. The error of the difference combines the run's
    /// standard error sd/√ESS (ESS: the run's mean-ESS, Vehtari et al. 2021) and the reference's
    /// own sd/√ESS_ref (posteriordb's bulk-ESS is ≈ 10 000); |z| < 4 for both (two-sided
    /// 6·10⁻⁵ each under a correct sampler). The run is on the sampling scale (log τ) and the
    /// means are taken on the model scale, as recorded.
    @Test(.enabled(if: hasHMC)) func hmcReproducesEightSchoolsMeans() throws {
        let cell = Cell(sampler: "hmc", target: "eight-schools-noncentered", stepSize: 0.1, seed: 7, chains: 4,
                        steps: 4_000, warmup: 1_000, maxDrawsPerChain: 3_000)
        let (run, reference) = try runCell(cell)
        #expect(abs(reference.mean[0] - 4.41051833695493) < 1e-9 && abs(reference.mean[1] - 3.60205952364059) < 1e-9)
        #expect(!run.diverged)
        let moments = run.pooledMoments
        for (i, name) in [(0, "mu"), (1, "tau")] {
            #expect(run.parameterNames[i] == name)
            let chains = run.chainsOfCoordinate(i)
            let ess = try #require(try ConvergenceStatistics.meanESS(chains))
            let sd = reference.standardDeviation[i]
            let se = (sd * sd / ess + sd * sd / 10_000).squareRoot()
            let z = (moments.mean[i] - reference.mean[i]) / se
            #expect(abs(z) < 4, "\(name): hmc \(moments.mean[i]), posteriordb \(reference.mean[i]), ESS \(ess), z \(z)")
            #expect(ess > 400, "\(name): ESS \(ess) too small for the comparison to mean much")
        }
    }
}
