import Workbench

extension Registry {
    /// Every built-in plugin, in the order `bench list` and `--samplers all` use. A new
    /// built-in is one file in Samplers/, Targets/ or Diagnostics/ and one line here.
    public static let builtin: Registry = {
        do {
            var registry = try Registry(
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
                    DeepEnsembleDiagnostic(),
                ])
            try registry.register(StdNormal1D.self)
            try registry.register(GaussianIso.self)
            try registry.register(GaussianIllConditioned.self)
            try registry.register(GaussianCorr2D.self)
            try registry.register(FunnelTarget.self)
            try registry.register(BananaTarget.self)
            try registry.register(EightSchoolsNoncentered.self)
            try registry.register(EightSchoolsCentered.self)
            try registry.register(SBLRI.self)
            try registry.register(BNNUCIYacht.self)
            try registry.register(BNNUCIEnergy.self)
            try registry.register(BNNUCIConcrete.self)
            try registry.register(BNNClassify.self)
            try registry.register(BNNSmileAirfoil.self)
            try registry.register(BNNSmileEnergy.self)
            try registry.register(BNNSmileBikesharing.self)
            try registry.register(SGLD.self)
            try registry.register(SGLDCV.self)
            try registry.register(PSGLD.self)
            try registry.register(PSGLDGamma.self)
            try registry.register(AdamSGLD.self)
            try registry.register(ASGLD.self)
            try registry.register(FSGLD.self)
            try registry.register(SGRLDMonge.self)
            try registry.register(SGRLDMongeGamma.self)
            try registry.register(SGRLDShampoo.self)
            try registry.register(CyclicalSGLD.self)
            try registry.register(ExactSampler.self)
            try registry.register(SGHMC.self)
            try registry.register(SGNHT.self)
            try registry.register(MCLMC.self)
            try registry.register(SGMCLMC.self)
            try registry.register(SMILE.self)
            try registry.register(SMILEPreconditioned.self)
            try registry.register(SMILENaive.self)
            try registry.register(PSMILENaive.self)
            try registry.register(MALA.self)
            try registry.register(HMC.self)
            return registry
        } catch {
            fatalError("the built-in registry is inconsistent: \(error)")
        }
    }()
}
