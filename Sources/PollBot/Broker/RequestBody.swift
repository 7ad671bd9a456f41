import BotKit
import CSodium
import Foundation

/// OpenAlgo request bodies: the fields as JSON with `apikey` spliced in from guarded memory.
///
/// The key never becomes a Swift `String` (which cannot be wiped); the body
/// that carries it is wiped once the call is over. libcurl's own copy of the
/// body (CURLOPT_COPYPOSTFIELDS) is freed by curl without wiping: that copy
/// lives only while the request is in flight.
enum RequestBody {
    /// `{"apikey":"KEY",...fields}`; the fields must not hold an `apikey` of their own.
    static func json(_ fields: [String: Any], apiKey: SecretBytes) throws -> Data {
        precondition(fields["apikey"] == nil, "the API key comes from the vault, never from the fields")
        let rest = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        var body = Data(capacity: rest.count + apiKey.count * 6 + 16)
        body.append(contentsOf: Array(#"{"apikey":""#.utf8))
        apiKey.withBytes { key in
            for byte in key { appendEscaped(byte, to: &body) }
        }
        body.append(UInt8(ascii: "\""))
        // `rest` is `{}` or `{...}`: keep its members after the key.
        if rest.count > 2 {
            body.append(UInt8(ascii: ","))
            body.append(contentsOf: rest.dropFirst())
        } else {
            body.append(UInt8(ascii: "}"))
        }
        return body
    }

    /// Zeroes a body that carried a key.
    static func wipe(_ body: inout Data) {
        body.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { sodium_memzero(base, raw.count) }
        }
    }

    /// JSON string escaping for one byte of UTF-8: quote, backslash and control characters.
    private static func appendEscaped(_ byte: UInt8, to body: inout Data) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            body.append(UInt8(ascii: "\\"))
            body.append(byte)
        case 0..<0x20:
            body.append(contentsOf: Array(String(format: "\\u%04x", Int(byte)).utf8))
        default:
            body.append(byte)
        }
    }
}
