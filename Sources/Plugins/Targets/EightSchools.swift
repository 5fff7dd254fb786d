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
