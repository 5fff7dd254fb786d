/// Strict decoding for files people write by hand (grid specs): a field the type does not
/// know is an error naming it and the accepted ones, so a misspelt "stepsizes" is never a
/// silently ignored axis.
enum StrictDecoding {
    /// Throws a `DecodingError` for the first key of `decoder`'s object that is not a case of
    /// `Key`; `what` names the kind of field in the message ("field", "tuning field").
    static func rejectUnknownFields<Key: CodingKey & CaseIterable & RawRepresentable>(
        _ decoder: Decoder, keys: Key.Type, what: String
    ) throws where Key.RawValue == String {
        let all = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(Key.allCases.map(\.rawValue))
        if let unknown = all.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: all,
                debugDescription: "unknown \(what) '\(unknown.stringValue)'; accepted: "
                    + Key.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
