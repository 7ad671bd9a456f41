import BotKit
import Foundation
import Logging
import TestSupport
import Testing

/// A command that always fails, to see what the user and the log get.
struct ExplodingCommand: Command {
    static let name = "explode"
    static let summary = "Fails"
    init(arguments: inout ArgumentScanner) throws {}
    func run(in context: CommandContext) async throws -> [OutgoingMessage] {
        throw CocoaError(.fileReadCorruptFile)
    }
}

@Suite struct DispatchTests {
    func inbox(_ id: Int64, chat: Int64, text: String) -> InboxItem {
        let entities = text.hasPrefix("/") ? [MessageEntity(type: "bot_command", offset: 0, length: text.prefix { $0 != " " }.utf16.count)] : nil
        let message = Message(messageID: id, from: User(id: chat, firstName: "U"), chat: Chat(id: chat, type: "private"),
                              date: Int64(Date().timeIntervalSince1970), text: text, entities: entities)
        return InboxItem(update: Update(updateID: id, message: message), receivedAt: Date())
    }

    @Test func aFailingHandlerRepliesWithAnErrorIDThatIsAlsoLogged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let services = BotServices(identity: BotIdentity(id: 1, username: "PollTestBot", firstName: "P"),
                                   registry: CommandRegistry([ExplodingCommand.self]),
                                   store: try BotStore(path: directory.file("db.sqlite3")), logger: capture.logger())
        let router = UpdateRouter(services: services, staleAfter: 120)
        let result = await router.handle(inbox(1, chat: 9, text: "/explode"))
        let payload = try #require(result.replies.first?.payload)
        let text = String(decoding: payload, as: UTF8.self)
        let match = text.firstMatch(of: /error <code>([0-9a-f]{6})<\/code>/)
        let errorID = try #require(match?.1)
        #expect(capture.text.contains("error_id=\(errorID)"))
        #expect(capture.text.contains("command=/explode"))
        #expect(result.log?.outcome == .error)
        #expect(result.log?.errorID == String(errorID))
    }

    @Test func aSlowChatDoesNotDelayAnother() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let sender = Sender(client: TelegramClient(apiURL: fake.apiURL, token: fake.token), store: store, floodLimits: false)
        let dispatcher = Dispatcher(handler: { item in
            let chat = item.update.chatID!
            if chat == 1 { try? await Task.sleep(for: .seconds(1.5)) }
            return HandlerResult(replies: [.text("done \(item.update.updateID)", to: chat)])
        }, store: store, sender: sender)
        let items = [inbox(1, chat: 1, text: "slow"), inbox(2, chat: 1, text: "after slow"), inbox(3, chat: 2, text: "fast")]
        _ = try await store.record(try JSONDecoder().decode([UpdateSlot].self, from: JSONEncoder().encode(items.map(\.update))))
        await dispatcher.submit(items)
        let replies = await fake.waitForCalls("sendMessage", count: 3, timeout: .seconds(5))
        // Chat 2 is answered first; chat 1 keeps its own order.
        #expect(replies.map(\.text) == ["done 3", "done 1", "done 2"])
        await fake.stop()
        directory.remove()
    }
}
