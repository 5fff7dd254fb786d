import CGSL

/// The law SMILE's tuner fits to the absolute energy errors |ΔE| of its steps: a Gamma with
/// the running mean m and variance s² of |ΔE| (shape k = m²/s², scale θ = s²/m), whose
/// quantiles set the reset and adaptation thresholds (`SMILE`; arXiv 2602.06500, code
/// EmanuelSommer/SMILE `SMILET`).
///
/// As the code: m and s are floored at 1e−6 (its `jnp.clip(…, 1e-6, …)`), and quantiles come
/// from the Wilson–Hilferty approximation kθ(1 − 1/(9k) + z_p/(3√k))³ wherever it is defined.
/// Two deviations, both in the regime where the code's law is not a law:
/// - no absolute regulariser in k and θ (the code's k = m²/(s² + 1e−6)): with |ΔE| below
///   about 1e−3 — an accurate integration, or small gradient noise — it drove k towards 0
///   whatever the spread of |ΔE|, the Wilson–Hilferty cube went negative, every step was
///   "above the 99 % quantile" and was rejected, and every step shrank ε to its floor
///   (`smile` on N(0, I) with noise-scale 1e−4: resets 0.4998 per step, R̂ 4.5).
/// - where Wilson–Hilferty fails (k < 1, or a negative cube: it gives a negative lower
///   quantile already at k = 0.5 for p = 1/30), the exact Gamma quantile (GSL
///   `gsl_cdf_gamma_Pinv`), which is never negative.
/// At the floors (|ΔE| ≲ 1e−6 nats), the law is the exponential with mean 1e−6, so steps that
/// accurate grow ε rather than being rejected.
struct EnergyErrorLaw {
    let shape: Double
    let scale: Double

    static let floor = 1e-6

    init(mean: Double, variance: Double) {
        let m = max(mean, Self.floor)
        let s2 = max(variance, Self.floor * Self.floor)
        shape = m * m / s2
        scale = s2 / m
    }

    /// The p-quantile, z = Φ⁻¹(p) given; p ≥ 1 is +∞ (never exceeded), p ≤ 0 is −∞.
    func quantile(_ p: Double, normalScore z: Double) -> Double {
        if p >= 1 { return .infinity }
        if p <= 0 { return -.infinity }
        if shape >= 1 {
            let w = 1 - 1 / (9 * shape) + z / (3 * shape.squareRoot())
            if w > 0 { return shape * scale * w * w * w }
        }
        _ = Self.gslErrorsReturned
        let q = gsl_cdf_gamma_Pinv(p, shape, scale)
        // A quantile GSL cannot form neither rejects nor shrinks: 0 below the median, +∞ above.
        if q.isNaN { return p < 0.5 ? 0 : .infinity }
        return q
    }

    /// GSL's default error handler aborts; its quantile functions then return NaN instead.
    private static let gslErrorsReturned: Void = { _ = gsl_set_error_handler_off() }()
}
