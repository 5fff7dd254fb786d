/// A target that can hand another framework what it needs to rebuild it exactly
/// (`bench export-target`, docs/EXTERNAL.md): the arrays that parameterise it — data, seeded
/// rotations, scales — and the formula they enter, in the arrays' names.
///
/// Everything else of an export (options, reference moments, check points of log density and
/// gradient) is generic (`TargetExport`); a target that does not conform is exported without
/// arrays, its definition left to TARGETS.md, and the export says so.
public protocol ExportableTarget: Target {
    /// U(θ) and its minibatch estimate, written with the names of `exportedArrays`.
    var formula: String { get }
    /// The arrays the formula names, each with its shape (row-major) and meaning.
    var exportedArrays: [TargetArray] { get }
}

/// One array of an exported target, row-major (C order), written as `NAME.npy`.
public struct TargetArray: Sendable {
    public let name: String
    public let shape: [Int]
    public let values: [Double]
    public let meaning: String

    public init(_ name: String, shape: [Int], values: [Double], meaning: String) {
        precondition(shape.reduce(1, *) == values.count, "target array \(name): \(values.count) values for the shape \(shape)")
        self.name = name
        self.shape = shape
        self.values = values
        self.meaning = meaning
    }
}
