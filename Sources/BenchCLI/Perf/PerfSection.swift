import Workbench

/// The parts of `bench perf` (issue 9, (a)–(e)); `--only` selects some.
enum PerfSection: String, CaseIterable, Codable, Sendable {
    /// (a) ns per step of `sgld` on `std-normal-1d`; µs per step of every sampler on `gaussian-iso`.
    case steps
    /// (b) µs per minibatch gradient and GFLOP/s of the BNNs and a wide MLP, against dgemm's peak.
    case bnn
    /// (c) seconds per diagnostic at 10⁶ draws × 100 dimensions (or the diagnostic's cap).
    case diagnostics
    /// (d) the speed-up of a grid from `--jobs 1` to `--jobs 2`.
    case grid
    /// (e) peak resident memory of a 10⁷-step, d = 100 chain with thinning 100 (child process).
    case memory
    /// (f) ns or µs per chain-step of sgld at 1, 8 and 64 chains per cell (batched chains).
    case chains
    /// (g) an external sampler (NumPy ext-sgld): µs per gradient round trip, and its step time
    /// over the built-in sgld's (docs/EXTERNAL.md).
    case external

    /// The sections named in a comma-separated list ("all" for every one), in canonical order.
    static func parse(_ text: String) throws -> [PerfSection] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if names == ["all"] { return allCases }
        guard !names.isEmpty, !names.contains("") else {
            throw WorkbenchError.invalidValue(owner: "bench perf", name: "--only", value: text, accepted: acceptedList)
        }
        var chosen = Set<PerfSection>()
        for name in names {
            guard let section = PerfSection(rawValue: name) else {
                throw WorkbenchError.unknownID(kind: "perf section", id: name, accepted: allCases.map(\.rawValue) + ["all"])
            }
            chosen.insert(section)
        }
        return allCases.filter(chosen.contains)
    }

    static var acceptedList: String {
        "a comma-separated list of " + allCases.map(\.rawValue).joined(separator: ", ") + ", or 'all'"
    }
}
