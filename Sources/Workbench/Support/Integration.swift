import CGSL
import Foundation

/// One-dimensional numerical integration by GSL's adaptive QUADPACK routines, wrapped so that
/// it is safe to call from concurrent chains and diagnostics: each call owns its integration
/// workspace, the GSL error handler is switched off (a failure is a status code, never an
/// abort), and the integrand is a Swift closure.
public enum Integration {
    /// GSL's default handler aborts the process; switch it off once, before the first call.
    private static let errorHandlerOff: Void = { _ = gsl_set_error_handler_off() }()

    /// The result of an integration: the estimate, GSL's error estimate, and its status
    /// (`GSL_SUCCESS` = 0, otherwise the estimate did not reach the tolerance).
    public struct Result: Sendable {
        public let value: Double
        public let absoluteError: Double
        public let status: Int32
        public var succeeded: Bool { status == 0 }
    }

    private final class Box {
        let f: (Double) -> Double
        init(_ f: @escaping (Double) -> Double) { self.f = f }
    }

    /// ∫_a^b f(x) dx by `gsl_integration_qags` (21-point Gauss–Kronrod with extrapolation,
    /// tolerant of integrable singularities), to `absoluteTolerance` or `relativeTolerance`.
    public static func qags(_ f: @escaping (Double) -> Double, from a: Double, to b: Double,
                            absoluteTolerance: Double = 0, relativeTolerance: Double = 1e-10,
                            limit: Int = 1000) -> Result {
        run(f, limit: limit) { function, workspace, result, error in
            gsl_integration_qags(function, a, b, absoluteTolerance, relativeTolerance, limit, workspace, result, error)
        }
    }

    /// ∫_{−∞}^{∞} f(x) dx by `gsl_integration_qagi` (the map x = (1 − t)/t on (0, 1]).
    public static func qagi(_ f: @escaping (Double) -> Double, absoluteTolerance: Double = 0,
                            relativeTolerance: Double = 1e-10, limit: Int = 1000) -> Result {
        run(f, limit: limit) { function, workspace, result, error in
            gsl_integration_qagi(function, absoluteTolerance, relativeTolerance, limit, workspace, result, error)
        }
    }

    private static func run(
        _ f: @escaping (Double) -> Double, limit: Int,
        _ call: (UnsafeMutablePointer<gsl_function>, UnsafeMutablePointer<gsl_integration_workspace>,
                 UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Int32
    ) -> Result {
        _ = errorHandlerOff
        guard let workspace = gsl_integration_workspace_alloc(limit) else {
            return Result(value: .nan, absoluteError: .nan, status: Int32(GSL_ENOMEM))
        }
        defer { gsl_integration_workspace_free(workspace) }
        let box = Box(f)
        return withExtendedLifetime(box) {
            var function = gsl_function(
                function: { x, params in
                    Unmanaged<Box>.fromOpaque(params!).takeUnretainedValue().f(x)
                },
                params: Unmanaged.passUnretained(box).toOpaque())
            var value = 0.0, error = 0.0
            let status = call(&function, workspace, &value, &error)
            return Result(value: value, absoluteError: error, status: status)
        }
    }
}
