import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// Whatever order /link's words come in and however it ends, the key is in no byte of the database, its WAL or
/// shared memory, no log line and no reply; a key sent any other way is deleted and not acted on.
@Suite struct LinkSecretTests {
    /// The shape of an OpenAlgo API key: 64 hex digits.
    static let key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    static let rejectedKey = "0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a089f86d081884c7d659a2feaa"
    let alice = FakeUser(id: 2101, firstName: "Alice")

    /// Sends `text` from Alice to `chat` (her private chat when nil) and returns the one reply it produces.
    func ask(_ rig: BrokerRig, _ text: String, in chat: Int64?) async -> [SentCall] {
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.sendText(text, from: alice, chatID: chat)
        return Array(await rig.fake.waitForCalls("sendMessage", count: before + 1).dropFirst(before))
    }

    @Test func theKeyIsInNoDatabaseByteLogLineOrReplyWhateverTheOrderAndOutcome() async throws {
        let rig = try await BrokerRig.make(validKeys: [Self.key])
        let host = rig.broker.host
        let group: Int64 = -4242
        let messages: [(text: String, chat: Int64?)] = [
            ("/link \(Self.key) \(host) first", nil),           // KEY HOST NAME, accepted
            ("/link \(host) \(Self.key)", nil),                  // HOST KEY, accepted
            ("/link second \(Self.key)", nil),                   // NAME KEY, accepted
            ("/link \(Self.key)", nil),                          // KEY only, accepted
            ("/link \(Self.rejectedKey) \(host)", nil),          // rejected by OpenAlgo
            ("/link \(Self.key) http://127.0.0.1:9 other", nil), // host not allowed
            ("/link \(Self.key) one two", nil),                  // usage error: too many words
            ("/link \(host) \(host) \(Self.key)", nil),          // usage error: two hosts
            ("/link \(host) \(Self.key) NOT_A_NAME!", nil),      // usage error: bad name, key not first
            ("/lnik \(Self.key)", nil),                          // a mistyped command
            ("/quote \(Self.key)", nil),                         // a command that takes no key
            (Self.key, nil),                                     // the bare key as plain text
            ("here it is: \(Self.key).", nil),                   // inside a sentence
            ("/link \(Self.key)", group),                        // in a group
            (Self.key, group),                                   // plain text in a group
        ]
        for (index, message) in messages.enumerated() {
            let replies = await ask(rig, message.text, in: message.chat)
            #expect(replies.count == 1, "message \(index) got no reply")
        }
        // A modified client can send a key as a button's callback data: it is answered, and not logged either.
        _ = await rig.fake.pressButton(Self.key, by: alice)
        await rig.fake.waitForCalls("answerCallbackQuery", count: 1)
        // Every message that carried the key left the chat.
        await rig.fake.waitForCalls("deleteMessage", count: messages.count)
        let replies = await rig.fake.sent("sendMessage").compactMap(\.visibleText)
        #expect(replies.filter { $0.hasPrefix("Linked ") }.count == 4)
        #expect(replies.contains { $0.contains("did not accept the key") })
        #expect(replies.contains { $0.contains("I may only call the OpenAlgo hosts") })
        #expect(replies.filter { $0.contains("Usage: /link API_KEY [HOST] [NAME]") }.count == 3)
        #expect(replies.filter { $0.contains("looked like an OpenAlgo API key") }.count == 5)
        await rig.harness.stop()

        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        let log = try await store.commandLog()
        #expect(log.filter { $0.command == "/link" }.map(\.arguments) == [
            "name=first host=\(host)", "name=main host=\(host)", "name=second", "name=main", "name=main host=\(host)",
            "name=other host=(not allowed)", "", "", "", "",
        ])
        #expect(log.filter { $0.command != "/link" && $0.command != "button" }.allSatisfy { $0.arguments.isEmpty })
        #expect(log.filter { $0.command == "button" }.map(\.arguments) == ["(redacted)"])
        #expect(log.map(\.command).contains("/lnik"))

        var haystacks: [(String, Data)] = []
        for suffix in ["", "-wal", "-shm"] {
            let path = rig.harness.config.storage.path + suffix
            if let bytes = FileManager.default.contents(atPath: path) { haystacks.append((path, bytes)) }
        }
        #expect(haystacks.count >= 2)
        haystacks.append(("log", Data(rig.harness.logs.text.utf8)))
        haystacks.append(("replies", Data(replies.joined(separator: "\n").utf8)))
        for (name, bytes) in haystacks {
            for secret in [Self.key, Self.rejectedKey] {
                // Any 24-character stretch of a key would be a leak, not only the whole key.
                #expect(bytes.range(of: Data(secret.prefix(24).utf8)) == nil, "\(name) holds a key")
                #expect(bytes.range(of: Data(secret.suffix(24).utf8)) == nil, "\(name) holds a key")
            }
        }
        await rig.close()
    }

    @Test func inAGroupWhereTheDeleteIsRefusedTheReplySaysSoAndSaysToRevoke() async throws {
        let rig = try await BrokerRig.make(validKeys: [Self.key])
        await rig.fake.inject(.error(status: 400, description: "Bad Request: message can't be deleted", retryAfter: nil),
                              for: "deleteMessage")
        let refused = try #require(await ask(rig, "/link \(Self.key)", in: -77).first?.visibleText)
        #expect(refused.contains("I could not delete it"))
        #expect(refused.contains("Revoke the key in OpenAlgo now"))
        #expect(!refused.contains("I deleted"))
        #expect(await rig.fake.sent("deleteMessage").isEmpty)

        // With the right to delete, the same message is deleted and the reply says so.
        let deleted = try #require(await ask(rig, Self.key, in: -77).first?.visibleText)
        #expect(deleted.contains("I deleted your message"))
        #expect(await rig.fake.sent("deleteMessage").count == 1)
        await rig.close()
    }

    @Test func aKeyAddedByEditingAMessageIsDeletedToo() async throws {
        let rig = try await BrokerRig.make(validKeys: [Self.key])
        await rig.fake.sendText("my key \(Self.key)", from: alice, edited: true)
        let reply = try #require(await rig.replies(1).first)
        #expect(reply.contains("I deleted your message from this chat"))
        #expect(await rig.fake.waitForCalls("deleteMessage", count: 1).count == 1)
        await rig.close()
    }
}
