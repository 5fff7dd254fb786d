import Workbench

/// Hyperparameter and option validation: the declarations are well formed, the defaults are
/// accepted, and values outside a domain are rejected with a `WorkbenchError` (the CLI prints
/// those as one line; any other error would be a crash report).
enum ParameterChecks {
    static func registration(_ specs: [ParameterSpec], _ failures: inout FailureList) {
        var seen = Set<String>()
        for spec in specs {
            failures.expect(isParameterName(spec.name), .registration,
                            "parameter name '\(spec.name)' is not ASCII letters, digits, hyphens and underscores")
            failures.expect(seen.insert(spec.name).inserted, .registration, "parameter '\(spec.name)' is declared twice")
            failures.expect(!spec.summary.isEmpty && !spec.summary.contains("\n"), .registration,
                            "parameter '\(spec.name)' needs a one-line summary")
            if case .choice(let names) = spec.domain {
                failures.expect(!names.isEmpty, .registration, "choice parameter '\(spec.name)' has no choices")
            }
        }
    }

    /// Values each spec must reject, with why.
    static func outOfDomain(_ spec: ParameterSpec) -> [(ParameterValue, String)] {
        switch spec.domain {
        case .choice:
            return [(.text("no-such-choice"), "an unknown choice"), (.number(1), "a number for a choice")]
        case .real(let range, let integral, let open):
            var values: [(ParameterValue, String)] = [
                (.number(.nan), "NaN"), (.number(.infinity), "+∞"), (.number(-.infinity), "−∞"),
                (.text("not-a-number"), "a word for a number"),
            ]
            if range.lowerBound.isFinite {
                values.append((.number(range.lowerBound - max(1, abs(range.lowerBound))), "a value below the range"))
            }
            if range.upperBound.isFinite {
                values.append((.number(range.upperBound + max(1, abs(range.upperBound))), "a value above the range"))
            }
            if open.contains(.lower) { values.append((.number(range.lowerBound), "the excluded lower end")) }
            if open.contains(.upper) { values.append((.number(range.upperBound), "the excluded upper end")) }
            if integral {
                let candidate = (range.lowerBound.isFinite ? range.lowerBound : 0) + 0.5
                if range.contains(candidate) { values.append((.number(candidate), "a fraction for a whole number")) }
            }
            return values
        }
    }

    /// `make` with no values must succeed; with one bad value or an unknown name it must throw
    /// a `WorkbenchError` whose message names the plugin (`failures.plugin`, e.g. "sampler
    /// sgld") and the parameter.
    static func rejectsOutOfDomain(_ specs: [ParameterSpec], failures: inout FailureList,
                                   make: ([String: ParameterValue]) throws -> Any) {
        registration(specs, &failures)
        do {
            _ = try make([:])
        } catch {
            failures.fail(.parameters, "the defaults are rejected: \(error)")
            return
        }
        let owner = failures.plugin
        func expectRejected(_ values: [String: ParameterValue], _ what: String) {
            do {
                _ = try make(values)
                failures.fail(.parameters, "\(what) was accepted")
            } catch let error as WorkbenchError {
                let name = values.keys.first ?? ""
                if !(error.description.contains(owner) && error.description.contains(name)) {
                    failures.fail(.parameters, "rejecting \(what), the message must name \(owner) and \(name): \(error)")
                }
            } catch {
                failures.fail(.parameters, "\(what) threw \(type(of: error)), not a WorkbenchError (no one-line message)")
            }
        }
        expectRejected(["no-such-parameter": .number(1)], "an unknown parameter name")
        for spec in specs {
            for (value, why) in outOfDomain(spec) {
                expectRejected([spec.name: value], "\(spec.name)=\(value) (\(why))")
            }
        }
    }
}
