import Foundation
@testable import TestSupport
import Testing

/// The fake's own JSON writer must say exactly what `JSONSerialization` would: the bot under test parses every
/// update and reply the fake writes.
@Suite struct FakeJSONTests {
    static func same(_ value: Any) throws -> Bool {
        let written = try #require(FakeJSON.data(value))
        let reference = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
        let parsed = try JSONSerialization.jsonObject(with: written, options: [.fragmentsAllowed])
        let expected = try JSONSerialization.jsonObject(with: reference, options: [.fragmentsAllowed])
        return canonical(parsed) == canonical(expected)
    }

    /// A parsed JSON value as comparable text: keys sorted, booleans told from numbers (corelibs' `isEqual` on
    /// bridged dictionaries calls equal booleans unequal, so it cannot be the judge).
    static func canonical(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0.debugDescription):\(canonical(object[$0]!))" }.joined(separator: ",") + "}"
        case let list as [Any]:
            return "[" + list.map(canonical).joined(separator: ",") + "]"
        case let text as String:
            return text.debugDescription
        case is NSNull:
            return "null"
        case let number as NSNumber:
            return String(describing: type(of: number)).contains("Boolean") ? "b\(number.boolValue)" : "n\(number.doubleValue)"
        default:
            return "?\(value)"
        }
    }

    @Test func updatesAndRepliesAsTheFakeBuildsThemReadBackTheSame() throws {
        let message: [String: Any] = [
            "message_id": Int64(42), "date": 1_764_300_000, "chat": ["id": Int64(-100_123), "type": "group"],
            "from": ["id": 7, "is_bot": false, "first_name": "A \"quoted\" \\ name\n\t\u{1}é😀\u{2028}"],
            "text": "/buy RELIANCE 1", "entities": [["type": "bot_command", "offset": 0, "length": 4]],
        ]
        #expect(try Self.same(["ok": true, "result": message] as [String: Any]))
        #expect(try Self.same(["update_id": "$update_id$", "message": message] as [String: Any]))
        #expect(try Self.same(["ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3",
                               "parameters": ["retry_after": 3]] as [String: Any]))
        #expect(try Self.same(["ok": true, "result": true] as [String: Any]))
        #expect(try Self.same(["empty": [String: Any](), "list": [Any](), "half": 1.5, "tiny": 1e-7, "flag": false] as [String: Any]))
        for scalar in (0..<0x80).compactMap(Unicode.Scalar.init) {
            #expect(try Self.same(["text": "a\(Character(scalar))b"]), "U+\(scalar.value)")
        }
    }

    @Test func parsedNumbersAndNullsAreWrittenAsJSONSerializationWouldNotAsBooleans() throws {
        // A parsed 1 is an NSNumber that also casts to Bool: it must stay 1 (the fallback writes it).
        let parsed = try JSONSerialization.jsonObject(with: Data(#"{"chat_id":1,"zero":0,"yes":true,"none":null}"#.utf8))
        let written = try #require(FakeJSON.data(parsed))
        let back = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect((back["chat_id"] as? NSNumber)?.int64Value == 1)
        #expect(back["none"] is NSNull)
        #expect(try Self.same(parsed))
        #expect(FakeJSON.data(["bad": Double.nan]) == nil)
    }
}
