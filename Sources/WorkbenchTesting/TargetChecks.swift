import Workbench

enum TargetChecks {
    static func registration(_ plugin: TargetPlugin, _ failures: inout FailureList) {
        failures.expect(isCommandLineName(plugin.id), .registration,
                        "id '\(plugin.id)' is not lowercase letters, digits and hyphens")
        failures.expect(!plugin.summary.isEmpty && !plugin.summary.contains("\n"), .registration,
                        "the summary must be one line")
    }

    /// All target checks with `options`; `checkReproducible` also builds the target a second
    /// time to compare (building can be the slow part, so once per plugin).
    static func check(_ plugin: TargetPlugin, options: [String: ParameterValue], checkReproducible: Bool,
                      _ failures: inout FailureList) {
        let label = options.isEmpty ? "defaults" : options.keys.sorted().map { "\($0)=\(options[$0]!)" }.joined(separator: ",")
        let target: any Target, twin: (any Target)?
        do {
            target = try plugin.make(options: options).0
            twin = checkReproducible ? try plugin.make(options: options).0 : nil
        } catch {
            failures.fail(.parameters, "(\(label)) cannot be built: \(error)")
            return
        }
        shape(target, twin: twin, label, &failures)
        finiteDifference(target, label, &failures)
        minibatch(target, label, &failures)
        if let sampleable = target as? any ExactlySampleable { exactDraws(sampleable, label, &failures) }
    }

    /// The reference, names, start points and batch size have the target's shape; building
    /// twice with the same options gives the same target (synthetic data from a fixed seed).
    static func shape(_ target: any Target, twin: (any Target)?, _ label: String, _ failures: inout FailureList) {
        let d = target.dimension
        failures.expect(d >= 1 && target.dataSize >= 1, .shape, "(\(label)) dimension \(d) and data size \(target.dataSize) must be ≥ 1")
        guard d >= 1, target.dataSize >= 1 else { return }
        let reference = target.reference
        // The reference is on the recorded (model) scale, `recordedDimension` coordinates; a
        // reference not known yet (`Reference.unavailable`: every moment NaN, e.g. a BNN before
        // `bench reference`) is allowed, a partly known one is not.
        let recorded = target.recordedDimension
        failures.expect(reference.mean.count == recorded, .shape,
                        "(\(label)) the reference has \(reference.mean.count) coordinates, the target records \(recorded)")
        let unavailable = (reference.mean + reference.variance).allSatisfy(\.isNaN)
        failures.expect(unavailable || (reference.mean.allSatisfy(\.isFinite) && reference.variance.allSatisfy { $0.isFinite && $0 > 0 }),
                        .shape, "(\(label)) reference means must be finite and variances finite and > 0 (or all unknown)")
        failures.expect(reference.marginals.map { $0.count == recorded } ?? true, .shape,
                        "(\(label)) the reference has \(reference.marginals?.count ?? 0) marginals for \(recorded) coordinates")
        failures.expect(target.parameterNames.count == d, .shape, "(\(label)) \(target.parameterNames.count) parameter names for \(d) coordinates")
        if case .size(let n) = target.defaultBatchSize {
            failures.expect((1...target.dataSize).contains(n), .shape, "(\(label)) default batch size \(n) is outside 1…\(target.dataSize)")
        }
        var rng = Xoshiro256StarStar(seed: 3), twinRNG = Xoshiro256StarStar(seed: 3)
        let x = target.initialPoint(rng: &rng)
        failures.expect(x.count == d && x.allSatisfy(\.isFinite), .shape, "(\(label)) the initial point must have \(d) finite coordinates")
        guard x.count == d else { return }
        let u = target.potential(at: x)
        failures.expect(u.isFinite, .shape, "(\(label)) U is not finite at the initial point")
        guard let twin else { return }
        let y = twin.initialPoint(rng: &twinRNG)
        var g = [Double](repeating: 0, count: d), h = g
        let batch = Array(0..<Int32(min(target.dataSize, 4)))[...]
        let partial = batch.count < target.dataSize
        if partial {
            target.minibatchPotentialGradient(at: x, batch: batch, into: &g)
            twin.minibatchPotentialGradient(at: x, batch: batch, into: &h)
        }
        failures.expect(y.map(\.bitPattern) == x.map(\.bitPattern) && twin.potential(at: x).bitPattern == u.bitPattern
                            && g.map(\.bitPattern) == h.map(\.bitPattern),
                        .shape, "(\(label)) two targets built with the same options differ (data must come from a fixed seed)")
    }

    /// Central differences of U against ∇U at three start points, on every coordinate (at most
    /// 16, chosen at random, when d is larger). With step ε_i = 1e−5·max(1, |x_i|) the error
    /// of a central difference is truncation O(ε² U''') plus rounding ≈ ε_mach·|U|/ε; the
    /// tolerance is 1e−6 relative to the gradient plus 4 times that rounding.
    ///
    /// U may be only piecewise smooth (a ReLU network's kinks, where a pre-activation crosses
    /// 0), and a stencil that straddles a kink measures neither one-sided derivative: with the
    /// central difference alone a correct ReLU BNN gradient failed for about half of all seeds
    /// (a kink within ε of x on 1.6 % of the coordinates). So a coordinate whose central
    /// difference disagrees is also compared with the second-order one-sided differences
    /// ∓(3U(x) − 4U(x ∓ h) + U(x ∓ 2h))/(2h), whose rounding is at most 4 times the central
    /// one's: with one kink within 2h of x, one of them lies on its smooth side and converges
    /// to ∇U at second order. The three are tried at h = ε and at h = ε/16, so only kinks on
    /// both sides within ε/8 of x can fail a correct gradient. A wrong gradient is off by
    /// O(|∇U|) from all of them.
    static func finiteDifference(_ target: any Target, _ label: String, _ failures: inout FailureList) {
        let d = target.dimension
        var rng = Xoshiro256StarStar(seed: 17)
        var g = [Double](repeating: 0, count: d)
        var reported = 0
        for _ in 0..<3 {
            let x = target.initialPoint(rng: &rng)
            guard x.count == d else { return }
            target.potentialGradient(at: x, into: &g)
            let u = target.potential(at: x)
            var coordinates = Array(0..<d)
            if d > 16 {
                for i in stride(from: d - 1, to: 0, by: -1) { coordinates.swapAt(i, rng.integer(below: i + 1)) }
                coordinates = Array(coordinates.prefix(16)).sorted()
            }
            for i in coordinates {
                func shifted(_ offset: Double) -> Double {
                    var y = x
                    y[i] += offset
                    return target.potential(at: y)
                }
                let eps = 1e-5 * max(1, abs(x[i]))
                let fd = (shifted(eps) - shifted(-eps)) / (2 * eps)
                let relative = 1e-6 * max(1, abs(g[i]))
                let tolerance = relative + 4 * Double.ulpOfOne * max(1, abs(u)) / eps
                if abs(fd - g[i]) <= tolerance { continue }
                let agreesOnASmoothSide = [eps, eps / 16].contains { h in
                    let rounding = 4 * Double.ulpOfOne * max(1, abs(u)) / h
                    let central = (shifted(h) - shifted(-h)) / (2 * h)
                    let forward = -(3 * u - 4 * shifted(h) + shifted(2 * h)) / (2 * h)
                    let backward = (3 * u - 4 * shifted(-h) + shifted(-2 * h)) / (2 * h)
                    return abs(central - g[i]) <= relative + rounding
                        || abs(forward - g[i]) <= relative + 4 * rounding || abs(backward - g[i]) <= relative + 4 * rounding
                }
                if !agreesOnASmoothSide, reported < 5 {
                    reported += 1
                    failures.fail(.finiteDifference,
                                  "(\(label)) coordinate \(i): ∇U = \(g[i]), central difference \(fd) (tolerance \(tolerance)), and no one-sided difference agrees")
                }
            }
        }
    }

    /// Over an epoch that partitions the data into equal batches, the minibatch gradients
    /// ∇Ũ_B = −∇log p − (N/n) Σ_{i∈B} ∇log p(x_i|θ) average to ∇U exactly (up to rounding):
    /// the estimate is unbiased and scaled as the contract says (sum scale, N/n).
    static func minibatch(_ target: any Target, _ label: String, _ failures: inout FailureList) {
        let bigN = target.dataSize, d = target.dimension
        guard bigN > 1 else { return }
        let k = (2...bigN).first { bigN % $0 == 0 }!
        let n = bigN / k
        var rng = Xoshiro256StarStar(seed: 29)
        let x = target.initialPoint(rng: &rng)
        guard x.count == d else { return }
        var full = [Double](repeating: 0, count: d), g = full, mean = full
        target.potentialGradient(at: x, into: &full)
        let indices = (0..<bigN).map { Int32($0) }
        var scale = 1.0
        for b in 0..<k {
            target.minibatchPotentialGradient(at: x, batch: indices[(b * n)..<((b + 1) * n)], into: &g)
            for j in 0..<d {
                mean[j] += g[j] / Double(k)
                scale = max(scale, abs(g[j]))
            }
        }
        let tolerance = 1e-9 * scale * Double(k).squareRoot() + 1e-12 * Double(bigN)
        if let j = (0..<d).first(where: { !(abs(mean[$0] - full[$0]) <= tolerance) }) {
            failures.fail(.minibatchGradient,
                          "(\(label)) over \(k) batches of \(n) the minibatch gradients average to \(mean[j]) on coordinate \(j), ∇U is \(full[j]): ∇Ũ must be −∇log p − (N/n) Σ_B ∇log p(x_i|θ)")
        }
    }

    /// Exact draws: the same generator gives the same draw, draws are finite, and the mean of
    /// 4 000 draws of coordinate 1 lies within 5 reference standard errors of the reference mean.
    static func exactDraws(_ target: any ExactlySampleable, _ label: String, _ failures: inout FailureList) {
        let d = target.dimension
        var a = [Double](repeating: 0, count: d), b = a
        var rngA = Xoshiro256StarStar(seed: 5), rngB = Xoshiro256StarStar(seed: 5)
        target.drawExact(into: &a, rng: &rngA)
        target.drawExact(into: &b, rng: &rngB)
        failures.expect(a.map(\.bitPattern) == b.map(\.bitPattern) && a.allSatisfy(\.isFinite), .exactDraws,
                        "(\(label)) exact draws must be finite and come from the generator passed in")
        let draws = 4_000
        var sum = 0.0
        for _ in 0..<draws {
            target.drawExact(into: &a, rng: &rngA)
            sum += a[0]
        }
        let reference = target.reference
        let se = (reference.variance[0] / Double(draws)).squareRoot()
        failures.expect(abs(sum / Double(draws) - reference.mean[0]) < 5 * se, .exactDraws,
                        "(\(label)) the mean of \(draws) exact draws of coordinate 1 is \(sum / Double(draws)), the reference says \(reference.mean[0]) (± \(se))")
    }
}
