import Foundation

/// The spec is the identity of a results folder: two runs belong in one folder only if their
/// specs are equal in every field that changes numbers.
///
/// Every field of `GridSpec` changes either the cells (samplers, targets, step sizes, batch
/// sizes, noise, seeds, tuning, budgets, budget scales) or their numbers (chains, steps,
/// warm-up, thinning, max draws, hyperparameters, target options, diagnostics, the wall-time
/// cap), so the identity is the whole spec. Settings that do not change numbers are not
/// part of the spec at all: `--jobs`, `--shard`, `--out`, `--isolate`, `--export-draws`,
/// `--resume`, `--cell-timeout`; they may differ between a run and its resumption. An external
/// sampler's files are (`externalSamplers`: their SHA-256), so a changed sampler changes the spec. A field added later with
/// an absent (nil) default is left out of the canonical JSON when absent, and one whose
/// default changes what runs (`TuningSpec.extensions`) is left out when it holds the value
/// that means "as before the field existed", so the identity of an existing folder does not
/// change with it.
extension GridSpec {
    /// The spec as canonical JSON: sorted keys, no whitespace, slashes unescaped, and the
    /// values that mean "as before the field existed" left out (`CodingUserInfoKey.canonicalSpec`).
    public func canonicalJSON() throws -> Data {
        let encoder = JSONOutput.encoder()
        encoder.userInfo[.canonicalSpec] = true
        return try encoder.encode(self)
    }

    /// A stable hash of `canonicalJSON()`: 64-bit FNV-1a, as 16 hexadecimal digits. It is
    /// stored in `grid.json` and in every result line (`CellResult.specHash`), so a line of
    /// another grid is recognised wherever it ends up. (An identity check, not a security
    /// measure.)
    public func identityHash() throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in try canonicalJSON() {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The fields in which `self` differs from `old`, in field-name order, each with its old
    /// and new value as compact JSON ("(absent)" for a field one side leaves out).
    public func differences(from old: GridSpec) throws -> [(field: String, old: String, new: String)] {
        func fields(_ spec: GridSpec) throws -> [String: Any] {
            (try JSONSerialization.jsonObject(with: try spec.canonicalJSON()) as? [String: Any]) ?? [:]
        }
        func text(_ value: Any?) -> String {
            guard let value else { return "(absent)" }
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
            else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
        let a = try fields(old), b = try fields(self)
        return Set(a.keys).union(b.keys).sorted().compactMap { name in
            let before = text(a[name]), after = text(b[name])
            return before == after ? nil : (name, before, after)
        }
    }
}

extension CodingUserInfoKey {
    /// Set (to true) while `GridSpec.canonicalJSON()` encodes: a field added to the spec later
    /// leaves out its value that means "as before the field existed" (e.g.
    /// `TuningSpec.extensionsBeforeBracketing`), so an old folder's identity does not change.
    public static let canonicalSpec = CodingUserInfoKey(rawValue: "workbench.canonicalSpec")!
}
