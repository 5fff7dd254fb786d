import Foundation

/// What `bench export-target` writes, so a sampler in another framework runs on the identical
/// target and can prove it (docs/EXTERNAL.md, "The same target elsewhere"): `target.json`
/// (this value) and one `NAME.npy` per array of an `ExportableTarget`.
///
/// Conventions, as BridgeStan names them: `logDensity` is log π(θ) = −U(θ) *up to an additive
/// constant* (compare differences between check points), `logDensityGradient` is ∇log π(θ) =
/// −∇U(θ); a minibatch check point holds the workbench's unbiased estimate −∇Ũ(θ) on the
/// given data indices (0-based, n of N; `Target.minibatchPotentialGradient`). Positions are
/// on the sampling scale, in `parameterNames` order. The check points are the target's own
/// functions at fixed points: three over-dispersed starts (`Target.initialPoint`, seeds 1–3)
/// and, for targets with data (N > 1), two index sets per point — the first n indices and n
/// drawn without replacement (seeded) — with n = min(N − 1, the default batch size, 64).
public struct TargetExport: Encodable, Sendable {
    public let format = "bench-target/1"
    public let id: String
    /// Every option of the target, defaults included.
    public let options: [String: ParameterValue]
    public let dimension: Int
    public let dataSize: Int
    public let parameterNames: [String]
    public let defaultBatchSize: String
    /// U(θ) and its minibatch estimate in the arrays' names; nil when the target does not
    /// export its arrays (then `definition` points to TARGETS.md).
    public let formula: String?
    public let definition: String
    public let arrays: [ArrayEntry]
    public let reference: ReferenceEntry
    public let checkPoints: [CheckPoint]

    public struct ArrayEntry: Encodable, Sendable {
        public let name: String
        public let file: String
        public let shape: [Int]
        public let meaning: String
    }

    /// The reference's moments; absent (null) when the target has none yet (a BNN without a
    /// cached reference), never NaN.
    public struct ReferenceEntry: Encodable, Sendable {
        public let kind: String
        public let mean: [Double]?
        public let variance: [Double]?
        public let secondMoment: [Double]?
    }

    public struct CheckPoint: Encodable, Sendable {
        public let position: [Double]
        public let logDensity: Double
        public let logDensityGradient: [Double]
        public let minibatches: [Minibatch]
    }

    public struct Minibatch: Encodable, Sendable {
        public let indices: [Int]
        public let logDensityGradient: [Double]
    }

    /// The export of `target` built with `options`.
    public init(target: any Target, options: ResolvedParameters) {
        id = target.id
        self.options = options.values
        dimension = target.dimension
        dataSize = target.dataSize
        parameterNames = target.parameterNames
        defaultBatchSize = "\(target.defaultBatchSize)"
        let exportable = target as? any ExportableTarget
        formula = exportable.map { $0.formula + (target.dataSize == 1 ? "; no data (N = 1): a minibatch gradient is the full one" : "") }
        definition = exportable == nil
            ? "this target's arrays are not exported: its definition is docs/TARGETS.md (\(target.id)); the check points still hold"
            : "the formula, with the arrays below"
        arrays = (exportable?.exportedArrays ?? []).map {
            ArrayEntry(name: $0.name, file: $0.name + ".npy", shape: $0.shape, meaning: $0.meaning)
        }
        let r = target.reference
        func finite(_ values: [Double]) -> [Double]? { r.isAvailable && values.allSatisfy(\.isFinite) ? values : nil }
        reference = ReferenceEntry(kind: r.kind.rawValue, mean: finite(r.mean), variance: finite(r.variance),
                                   secondMoment: finite(r.secondMoment))
        checkPoints = Self.checkPoints(of: target)
    }

    /// The arrays to write beside `target.json` (empty unless the target is exportable).
    public static func arrays(of target: any Target) -> [TargetArray] {
        (target as? any ExportableTarget)?.exportedArrays ?? []
    }

    /// Writes `target.json` and the arrays into `folder` (which exists).
    public func write(arrays: [TargetArray], into folder: String) throws {
        for array in arrays {
            try NpyWriter.write(array.values, shape: array.shape, to: folder + "/" + array.name + ".npy")
        }
        // A non-finite check value (a target undefined at a start) is written as "nan"/"inf", not an encoding failure.
        let json = try JSONOutput.encoder(pretty: true, nonFiniteAsStrings: true).encode(self)
        try AtomicFile.write(json, to: folder + "/target.json", describing: "the exported target")
    }

    static func checkPoints(of target: any Target) -> [CheckPoint] {
        let d = target.dimension, n = target.dataSize
        let batch = min(n - 1, 64, target.defaultBatchSize.isFull ? 64 : target.defaultBatchSize.count(dataSize: n))
        var gradient = [Double](repeating: 0, count: d)
        return (1...3).map { seed in
            var rng = Xoshiro256StarStar(seed: UInt64(seed), stream: "export-target/\(target.id)/position", index: 0)
            let x = target.initialPoint(rng: &rng)
            target.potentialGradient(at: x, into: &gradient)
            let full = gradient.map { -$0 }
            var minibatches: [Minibatch] = []
            if n > 1 && batch >= 1 {
                var pick = Xoshiro256StarStar(seed: UInt64(seed), stream: "export-target/\(target.id)/indices", index: 0)
                for indices in [Array(0..<batch), sample(batch, of: n, rng: &pick)] {
                    let slice = ArraySlice(indices.map { Int32($0) })
                    target.minibatchPotentialGradient(at: x, batch: slice, into: &gradient)
                    minibatches.append(Minibatch(indices: indices, logDensityGradient: gradient.map { -$0 }))
                }
            }
            return CheckPoint(position: x, logDensity: -target.potential(at: x), logDensityGradient: full, minibatches: minibatches)
        }
    }

    /// `count` distinct indices of 0..<n, by a partial Fisher–Yates shuffle, in drawn order.
    static func sample(_ count: Int, of n: Int, rng: inout Xoshiro256StarStar) -> [Int] {
        var pool = Array(0..<n)
        for i in 0..<count {
            let j = i + rng.integer(below: n - i)
            pool.swapAt(i, j)
        }
        return Array(pool[..<count])
    }
}
