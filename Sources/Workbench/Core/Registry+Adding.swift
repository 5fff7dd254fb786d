/// Shorthands for a plugin package's entry point: `try Registry.builtin + [MySampler.plugin]`
/// is `try Registry.builtin + Registry(samplers: [MySampler.plugin])`, and the same for
/// targets and diagnostics. Duplicate ids are errors as for `+` of two registries.
extension Registry {
    public static func + (lhs: Registry, rhs: [SamplerPlugin]) throws -> Registry {
        try lhs + Registry(samplers: rhs)
    }

    public static func + (lhs: Registry, rhs: [TargetPlugin]) throws -> Registry {
        try lhs + Registry(targets: rhs)
    }

    public static func + (lhs: Registry, rhs: [DiagnosticPlugin]) throws -> Registry {
        try lhs + Registry(diagnostics: rhs)
    }
}
