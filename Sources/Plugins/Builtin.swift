import Workbench

extension Registry {
    /// Every built-in plugin, in the order `bench list` and `--samplers all` use. A new
    /// built-in is one file in Samplers/, Targets/ or Diagnostics/ and one line here.
    public static let builtin: Registry = {
        do {
            return try Registry(
                samplers: [
                    SGLD.plugin,
                    SGLDCV.plugin,
                    PSGLD.plugin,
                    PSGLDGamma.plugin,
                    AdamSGLD.plugin,
                    ASGLD.plugin,
                    FSGLD.plugin,
                    SGRLDMonge.plugin,
                    SGRLDMongeGamma.plugin,
                    SGRLDShampoo.plugin,
                    CyclicalSGLD.plugin,
                    ExactSampler.plugin,
                    SGHMC.plugin,
                    SGNHT.plugin,
                    MCLMC.plugin,
                    SGMCLMC.plugin,
                    SMILE.plugin,
                    SMILEPreconditioned.plugin,
                    MALA.plugin,
                    HMC.plugin,
                ],
                targets: [
                    StdNormal1D.plugin,
                    GaussianIso.plugin,
                    GaussianIllConditioned.plugin,
                    GaussianCorr2D.plugin,
                    FunnelTarget.plugin,
                    BananaTarget.plugin,
                    EightSchoolsNoncentered.plugin,
                    EightSchoolsCentered.plugin,
                    SBLRI.plugin,
                    BNNUCIRegression.yacht.plugin,
                    BNNUCIRegression.energy.plugin,
                    BNNUCIRegression.concrete.plugin,
                    BNNClassify.plugin,
                ],
                diagnostics: [
                    ESSDiagnostic(),
                    ESSPerGradientDiagnostic(),
                    GradsToAccuracyDiagnostic(),
                    MomentsDiagnostic(),
                    ChainBiasDiagnostic(),
                    MarginalsDiagnostic(),
                    KSDDiagnostic(),
                    MMDDiagnostic(),
                    StabilityDiagnostic(),
                    PredictiveDiagnostic(),
                ])
        } catch {
            fatalError("the built-in registry is inconsistent: \(error)")
        }
    }()
}
