import Foundation

/// Decoding of OpenAlgo's fields, whose numbers arrive as JSON numbers or numeric strings depending on the broker.
extension KeyedDecodingContainer {
    /// The number at `key`; a missing or empty value is 0 by choice, an unparsable one is an error naming the field.
    public func number(_ key: Key) throws -> Double {
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return value }
        guard let text = try? decodeIfPresent(String.self, forKey: key) else { return 0 }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return 0 }
        guard let value = Double(trimmed) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is not a number: \(text)")
        }
        return value
    }

    /// The text at `key`; numbers (order ids often come as numbers) become their digits, a missing value is "".
    public func text(_ key: Key) throws -> String {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return String(value) }
        return ""
    }
}
