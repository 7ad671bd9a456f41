import BotKit
import Foundation

/// Writes the plain values the fake builds (dictionaries, arrays, strings, integers, booleans, finite doubles) as JSON,
/// without the NSDictionary bridging of corelibs' `JSONSerialization`, which was a fifth of the burst benchmark's CPU
/// on the fake's side. Anything else falls back to `JSONSerialization`, so the output is always what it would accept.
enum FakeJSON {
    /// The JSON text of `value`, or nil when `JSONSerialization` cannot write it either.
    static func data(_ value: Any) -> Data? {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        if write(value, to: &out) { return Data(out) }
        return try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
    }

    /// Appends `value`; false for a type or number it does not write (the caller falls back).
    private static func write(_ value: Any, to out: inout [UInt8]) -> Bool {
        // Exact types: a parsed NSNumber 1 also casts to Bool (and 0 to false), so NSNumbers take the fallback.
        let type = ObjectIdentifier(Swift.type(of: value))
        switch value {
        case let text as String:
            JSONString.append(text, to: &out)
        case is NSNull:
            out.append(contentsOf: Array("null".utf8))
        case let flag as Bool where type == ObjectIdentifier(Bool.self):
            out.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        case let number as Int where type == ObjectIdentifier(Int.self):
            out.append(contentsOf: Array(String(number).utf8))
        case let number as Int64 where type == ObjectIdentifier(Int64.self):
            out.append(contentsOf: Array(String(number).utf8))
        case let number as Double where type == ObjectIdentifier(Double.self):
            guard number.isFinite else { return false }
            out.append(contentsOf: Array(String(number).utf8))
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, element) in object {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONString.append(key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard write(element, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        case let list as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard write(element, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        default:
            return false
        }
        return true
    }
}
