import Foundation
import Testing
@testable import PollBot
import BotKit

@Suite struct RequestBodyTests {
    @Test(arguments: [String(repeating: "ab12", count: 16), "k\"ey\\with\u{01}control", ""])
    func theKeyIsSplicedIntoValidJSONWithTheFields(key: String) throws {
        let fields: [String: Any] = ["symbol": "M&M", "exchange": "NSE", "symbols": [["symbol": "A_B"]]]
        let body = try RequestBody.json(fields, apiKey: SecretBytes(Array(key.utf8)))
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["apikey"] as? String == key)
        #expect(object["symbol"] as? String == "M&M")
        #expect((object["symbols"] as? [[String: String]])?.first?["symbol"] == "A_B")
        let alone = try JSONSerialization.jsonObject(with: try RequestBody.json([:], apiKey: SecretBytes(Array(key.utf8)))) as? [String: String]
        #expect(alone == ["apikey": key])
    }

    @Test func aBodyIsWipedAfterUse() throws {
        var body = try RequestBody.json(["symbol": "TCS"], apiKey: SecretBytes(Array("secret-key-1234".utf8)))
        RequestBody.wipe(&body)
        #expect(!body.isEmpty)
        #expect(body.allSatisfy { $0 == 0 })
    }
}
