import Workbench

/// What the two parameterisations of posteriordb's eight schools share: the data (y_j, σ_j;
/// N = 8, one datum per school), the dimension (μ, log τ and eight school effects), Stan's
/// uniform(−2, 2) start, and the full and minibatch gradients, both from one gradient of the
/// prior plus `weight` × the likelihood terms of a set of schools (a minibatch B is weighted
/// 8/|B|).
protocol EightSchoolsModel: ModelScaleTarget {
    var y: [Double] { get }
    var sigma: [Double] { get }
    init(y: [Double], sigma: [Double], reference: Reference)
    /// ∇U on the sampling scale with the likelihood restricted to `schools`, scaled by `weight`.
    func gradient<S: Sequence<Int>>(at x: [Double], schools: S, weight: Double, into g: inout [Double])
}

extension EightSchoolsModel {
    /// The target on posteriordb's eight-schools data and reference draws (read once per
    /// process; a missing or malformed file is `WorkbenchError.malformedData`, `PosteriorDB`).
    static func load() throws -> Self {
        let data = try PosteriorDB.eightSchools.get()
        return Self(y: data.y, sigma: data.sigma, reference: try PosteriorDB.eightSchoolsReference.get())
    }

    public var dimension: Int { 10 }
    public var dataSize: Int { 8 }

    public func potentialGradient(at x: [Double], into gradient: inout [Double]) {
        self.gradient(at: x, schools: 0..<8, weight: 1, into: &gradient)
    }

    public func minibatchPotentialGradient(at x: [Double], batch: ArraySlice<Int32>, into gradient: inout [Double]) {
        self.gradient(at: x, schools: batch.lazy.map { Int($0) }, weight: 8 / Double(batch.count), into: &gradient)
    }

    public func initialPoint(rng: inout Xoshiro256StarStar) -> [Double] {
        stanInitialPoint(dimension: dimension, rng: &rng)
    }
}

extension EightSchoolsModel {
    /// The data both parameterisations export (`TargetExport`).
    var schoolArrays: [TargetArray] {
        [TargetArray("y", shape: [8], values: y, meaning: "y_j, each school's estimated effect"),
         TargetArray("sigma", shape: [8], values: sigma, meaning: "σ_j, the standard error of y_j")]
    }
}

/// Exported as its data (`TargetExport`).
extension EightSchoolsCentered: ExportableTarget {
    public var exportedArrays: [TargetArray] { schoolArrays }
    public var formula: String {
        "θ = (μ, s = log τ, θ_1..8), τ = e^s; U = μ²/50 + log(1 + τ²/25) − s + Σ_j [(θ_j − μ)²/(2τ²) + s] "
            + "+ Σ_j (y_j − θ_j)²/(2σ_j²); the last sum is the data: a minibatch B of schools replaces it by (8/|B|) Σ_{j∈B}"
    }
}

/// Exported as its data (`TargetExport`).
extension EightSchoolsNoncentered: ExportableTarget {
    public var exportedArrays: [TargetArray] { schoolArrays }
    public var formula: String {
        "θ = (μ, s = log τ, θ̃_1..8), τ = e^s; U = μ²/50 + log(1 + τ²/25) − s + Σ_j θ̃_j²/2 + Σ_j r_j²/(2σ_j²), "
            + "r_j = y_j − μ − τθ̃_j; the last sum is the data: a minibatch B of schools replaces it by (8/|B|) Σ_{j∈B}"
    }
}
