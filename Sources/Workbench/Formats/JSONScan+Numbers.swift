import Foundation

extension JSONScan {
    /// Names the number literal behind a `DecodingError` that has no place: Foundation's
    /// `JSONDecoder` reports a number that does not fit its field (a seed of −1, steps of
    /// 1000.5 or 1e30, a seed of 2⁶⁴) as "not valid JSON" at the top level. Replacing the
    /// literals by 0 one prefix at a time (a bisection, so O(log n) decodes) finds the first
    /// one whose replacement makes that error go; probing it with −1 and 0.5 tells an unsigned
    /// or whole-number field from a real one. Returns a `malformedData` error naming the
    /// literal's coding path, line and the accepted range, or nil when `error` is another one
    /// or no number explains it.
    func rejectedNumber<T: Decodable>(_ type: T.Type, in data: Data, error: DecodingError, file: String) -> WorkbenchError? {
        guard case .dataCorrupted(let context) = error, context.codingPath.isEmpty, !numbers.isEmpty else { return nil }
        let text = [UInt8](data)
        /// Whether decoding the text with literal i replaced by `replacements[i]` still fails without a place.
        func failsUnplaced(_ replacements: [Int: String]) -> Bool {
            var edited: [UInt8] = [], copied = 0
            for (i, number) in numbers.enumerated() {
                guard let replacement = replacements[i] else { continue }
                edited += text[copied..<number.range.lowerBound]
                edited += Array(replacement.utf8)
                copied = number.range.upperBound
            }
            edited += text[copied...]
            do {
                _ = try JSONDecoder().decode(T.self, from: Data(edited))
                return false
            } catch DecodingError.dataCorrupted(let c) where c.codingPath.isEmpty {
                return true
            } catch {
                return false
            }
        }
        func zeros(_ indices: Range<Int>) -> [Int: String] { Dictionary(uniqueKeysWithValues: indices.map { ($0, "0") }) }
        guard !failsUnplaced(zeros(0..<numbers.count)) else { return nil }
        // The smallest k such that zeroing the first k literals decodes: literal k − 1 is rejected.
        var low = 1, high = numbers.count
        while low < high {
            let middle = (low + high) / 2
            if failsUnplaced(zeros(0..<middle)) { low = middle + 1 } else { high = middle }
        }
        let index = low - 1, number = numbers[index]
        func probe(_ literal: String) -> Bool {
            var replacements = zeros(0..<numbers.count)
            replacements[index] = literal
            return failsUnplaced(replacements)
        }
        let accepted = probe("-1") ? "a whole number from 0 to \(UInt64.max)"
            : probe("0.5") ? "a whole number from \(Int.min) to \(Int.max)"
            : "a number of magnitude at most \(Double.greatestFiniteMagnitude)"
        let literal = String(decoding: text[number.range], as: UTF8.self)
        return .malformedData(path: file, location: "at \(number.path), line \(number.line)",
                              problem: "\(literal) is out of range for this field; accepted: \(accepted)")
    }
}
