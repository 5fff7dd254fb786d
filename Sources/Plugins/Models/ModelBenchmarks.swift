import COpenBLAS
import Foundation
import Workbench

/// What `bench perf` needs from the model code, and nothing a sampler or target uses: the
/// FLOP count of a BNN gradient, a synthetic "wide MLP" regression built by the same MLP and
/// likelihood code as the UCI targets, OpenBLAS's thread count, and a timed dgemm.
public enum ModelBenchmarks {
    /// The matrix-product FLOPs of one gradient of `target` over `rows` data rows, if it is an
    /// MLP regression (`BNNRegression`): 2·m·(2 Σ_l in_l·out_l + Σ_{l≥2} in_l·out_l) — the
    /// forward products, the weight gradients and the back-propagated deltas (none into the
    /// input layer). Activations, biases and the likelihood are not counted. Nil otherwise.
    public static func gradientFLOPs(of target: any Target, rows: Int) -> Double? {
        guard let bnn = target as? BNNRegression else { return nil }
        return bnn.mlp.gradientFLOPs(rows: rows)
    }

    /// A BNN regression on synthetic data: `inputs` standard-normal features, `rows` train rows,
    /// y = sin(Σ x) + noise, an MLP of `depth` hidden layers of `width` tanh units, learned noise;
    /// the same `BNNRegression` (and `MLP` passes over BLAS) as the `bnn-uci-*` targets. Its
    /// reference is unavailable: it exists to be timed. Deterministic in `seed`.
    public static func syntheticRegression(inputs: Int, rows: Int, width: Int, depth: Int, seed: UInt64 = 1) -> any Target {
        var rng = Xoshiro256StarStar(seed: seed, stream: "synthetic-mlp", index: 0)
        var x = [Double](repeating: 0, count: rows * inputs), y = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = 0.0
            for j in 0..<inputs {
                x[r * inputs + j] = rng.normal()
                s += x[r * inputs + j]
            }
            y[r] = Foundation.sin(s / Double(inputs).squareRoot()) + 0.1 * rng.normal()
        }
        let test = min(rows, 16)
        let split = StandardisedSplit(features: x, featureCount: inputs, target: y, train: Array(0..<rows),
                                      test: Array(0..<test), standardiseTarget: true)
        var options = BNNUCIRegressionOptions()
        (options.bnn.network.width, options.bnn.network.depth) = (width, depth)
        return BNNRegression(id: "synthetic-mlp-\(inputs)x\(width)x\(depth)", data: split, options: options)
    }

    /// Sets how many threads OpenBLAS uses. The BNN targets set it to 1 when first built
    /// (chains run in parallel already); a benchmark that times one gradient with every core
    /// sets it after building the target and restores it after.
    public static func setBLASThreads(_ count: Int) {
        _ = MLP.singleThreadedBLAS
        openblas_set_num_threads(Int32(count))
    }

    /// The seconds of one C ← A B + C for n × n matrices (column-major dgemm_, OpenBLAS), for
    /// `repetitions` timed calls after one untimed call; the FLOP count of one call is 2n³.
    public static func timeDGEMM(size n: Int, repetitions: Int) -> [Double] {
        var a = [Double](repeating: 0, count: n * n), b = a, c = a
        var rng = Xoshiro256StarStar(seed: 7)
        for k in 0..<(n * n) {
            a[k] = rng.uniform() - 0.5
            b[k] = rng.uniform() - 0.5
        }
        func call() {
            var ta: CChar = 78, tb: CChar = 78
            var mm = Int32(n), nn = Int32(n), kk = Int32(n), la = Int32(n), lb = Int32(n), lc = Int32(n), al = 1.0, be = 0.0
            a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        dgemm_(&ta, &tb, &mm, &nn, &kk, &al, a.baseAddress!, &la, b.baseAddress!, &lb, &be, c.baseAddress!, &lc)
                    }
                }
            }
        }
        call()
        return (0..<repetitions).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            call()
            return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        }
    }
}

extension MLP {
    /// See `ModelBenchmarks.gradientFLOPs(of:rows:)`.
    func gradientFLOPs(rows m: Int) -> Double {
        var products = 0.0, propagated = 0.0
        for l in 0..<layerCount {
            let size = Double(widths[l] * widths[l + 1])
            products += size
            if l > 0 { propagated += size }
        }
        return 2 * Double(m) * (2 * products + propagated)
    }
}
