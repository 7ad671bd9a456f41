import BotKit
import Foundation

/// Decoding of OpenAlgo's fields, whose numbers arrive as JSON numbers or numeric strings depending on the broker.
///
/// Every number is checked here, at the boundary: JSON happily carries 1e300 or 1.75e308 and `Double("inf")`
/// parses, but no price, quantity or amount is infinite, NaN or as large as 10^15 (a thousand lakh crore),
/// and such a value would trap an integer conversion or hang a chart axis further in.
extension KeyedDecodingContainer {
    /// The number at `key`, finite and below `UnusableValue.limit` in magnitude; a missing, null or empty value is 0 by
    /// choice, -0 becomes 0, an unparsable one (text, `true`, an object or array) is an error naming the field, an
    /// absurd one throws `UnusableValue`.
    public func number(_ key: Key) throws -> Double {
        guard contains(key), try !decodeNil(forKey: key) else { return 0 }
        let value: Double
        if let number = try? decode(Double.self, forKey: key) {
            value = number
        } else {
            guard let text = try? decode(String.self, forKey: key) else {
                // A position whose quantity arrived as `true` must not read as closed.
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is not a number")
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return 0 }
            guard let number = Double(trimmed) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(key.stringValue) is not a number: \(text)")
            }
            value = number
        }
        guard UnusableValue.isUsable(value) else { throw UnusableValue(field: key.stringValue, value: value) }
        return value == 0 ? 0 : value
    }

    /// A moment given in seconds since 1970, within `UnusableValue.moments` (1990 to 2100).
    public func moment(_ key: Key) throws -> Date {
        let seconds = try number(key)
        guard UnusableValue.moments.contains(seconds) else { throw UnusableValue(field: key.stringValue, value: seconds) }
        return Date(timeIntervalSince1970: seconds)
    }

    /// The text at `key`; whole numbers (order ids often come as numbers) become their digits, a missing value is "".
    public func text(_ key: Key) throws -> String {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Double.self, forKey: key) {
            // An id sent as 1e300 or 2.5 is not an id: its digits would be made up.
            guard let whole = Int64(exactly: value) else { throw UnusableValue(field: key.stringValue, value: value) }
            return String(whole)
        }
        return ""
    }
}
