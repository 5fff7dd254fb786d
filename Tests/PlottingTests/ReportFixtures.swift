import Foundation
@testable import Plotting
import Workbench

/// Results and tuning decisions for the report tests, built from a real `CellResult` and
/// edited through its JSON (its stored fields are `let`).
enum ReportFixtures {
    /// A result of `sampler` on `target` at `h` and `seed` whose only metrics are `metrics`;
    /// `fields` overrides stored fields ("phase": "tune", "divergedChains": 2, "chains": 4,
    /// "status": "failed", …). Its health is left out, so `assessedHealth` assesses the metrics.
    static func result(_ sampler: String, _ target: String, h: Double?, seed: UInt64, metrics: [String: Double],
                       fields: [String: Any] = [:]) throws -> CellResult {
        let cell = Cell(sampler: sampler, target: target, stepSize: h, seed: seed, chains: 1, steps: 10, warmup: 0)
        var chain = ChainRecord(dimension: 1, thin: 1, maxDraws: 10)
        for k in 0..<10 { chain.record([Double(k)]) }
        let parameters = try ResolvedParameters([:], specs: [], owner: "test")
        let run = RunRecord(cell: cell, hyperparameters: parameters, targetOptions: parameters, dimension: 1, dataSize: 1,
                            parameterNames: ["x[1]"], chains: [chain], perDatumGradientEvaluations: 10,
                            potentialEvaluations: 0, wallSeconds: 0)
        let base = CellResult(run: run, reference: .unavailable(dimension: 1), diagnostics: [],
                              provenance: Provenance(revision: "", toolchain: "", libraries: [:], host: "", date: ""))
        var object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(base)) as! [String: Any]
        object["metrics"] = try metrics.sorted(by: { $0.key < $1.key }).map { name, value in
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(
                Metric(diagnostic: "predictive", name: name, value: value, unit: "", direction: .lowerIsBetter)))
        }
        object["health"] = nil
        for (name, value) in fields { object[name] = value }
        return try JSONDecoder().decode(CellResult.self, from: try JSONSerialization.data(withJSONObject: object))
    }

    /// A tuning decision for `sampler` on `target` choosing `h` from a sweep over `sweep`, whose
    /// final cells are `finalCells`, with `boundary` when given.
    static func decision(_ sampler: String, _ target: String, h: Double, sweep: [Double], finalCells: [String],
                         boundary: String? = nil) throws -> TuningDecision {
        var object: [String: Any] = [
            "pair": "\(sampler)|\(target)", "sampler": sampler, "target": target, "lengthScale": 1.0,
            "stepSize": h, "reason": "lowest b²", "finalCells": finalCells, "skippedCells": [String](),
            "points": try sweep.map { x in
                try JSONSerialization.jsonObject(with: try JSONEncoder().encode(
                    TuningPoint(stepSize: x, key: "sweep-\(x)", chains: 4, divergedChains: 0, b2: 0.01, essPerGradient: 0.1)))
            },
        ]
        if let boundary { object["boundary"] = boundary }
        return try JSONDecoder().decode(TuningDecision.self, from: try JSONSerialization.data(withJSONObject: object))
    }
}
