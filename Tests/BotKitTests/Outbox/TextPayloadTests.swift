@testable import BotKit
import Foundation
import PropertyBased
import Testing

/// The hand-written sendMessage/editMessageText JSON is byte for byte what the `JSONEncoder` it replaced wrote (sorted
/// keys, slashes unescaped), for any text, ids and keyboard: the outbox rows, the fakes and the tests that read them see
/// no change.
@Suite struct TextPayloadTests {
    /// The parameters exactly as `OutgoingMessage` encoded them before, the reference.
    private struct Reference: Encodable {
        var chatID: Int64
        var messageID: Int64?
        var text: String
        var keyboard: InlineKeyboard?

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id", messageID = "message_id", text, parseMode = "parse_mode"
            case keyboard = "reply_markup", linkPreview = "link_preview_options"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(chatID, forKey: .chatID)
            try container.encodeIfPresent(messageID, forKey: .messageID)
            try container.encode(text, forKey: .text)
            try container.encode("HTML", forKey: .parseMode)
            try container.encodeIfPresent(keyboard, forKey: .keyboard)
            try container.encode(["is_disabled": true], forKey: .linkPreview)
        }
    }

    private static func reference(_ chatID: Int64, _ messageID: Int64?, _ text: String, _ keyboard: InlineKeyboard?) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Reference(chatID: chatID, messageID: messageID, text: text, keyboard: keyboard))
    }

    private static func written(_ chatID: Int64, _ messageID: Int64?, _ text: String, _ keyboard: InlineKeyboard?) -> Data {
        TextPayload.encode(chatID: chatID, messageID: messageID, text: text, keyboard: keyboard)
    }

    @Test func everyASCIICharacterAndTheEdgesOfUnicodeAreEscapedAsTheEncoderDid() throws {
        var scalars = (0...0x7F).compactMap(Unicode.Scalar.init)
        scalars += ["\u{80}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{D7FF}", "\u{E000}", "\u{FEFF}", "\u{FFFF}", "\u{10FFFF}", "\u{1F600}"]
        for scalar in scalars {
            let text = "a\(Character(scalar))/b"
            #expect(Self.written(-100_123, nil, text, nil) == (try Self.reference(-100_123, nil, text, nil)),
                    "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func extremeIdsEmptyTextAndEmptyKeyboardsMatch() throws {
        let keyboards: [InlineKeyboard?] = [nil, InlineKeyboard([]), InlineKeyboard([[]]), InlineKeyboard([[], [.init("", data: "")]])]
        for chat in [Int64.min, -1, 0, 1, Int64.max] {
            for message in [nil, Int64.min, 0, Int64.max] {
                for keyboard in keyboards {
                    #expect(Self.written(chat, message, "", keyboard) == (try Self.reference(chat, message, "", keyboard)))
                }
            }
        }
    }

    static let keyboard = HTMLEscapeProperties.text.array(of: 0...6).array(of: 0...4).map { rows in
        InlineKeyboard(rows.map { row in row.map { InlineKeyboard.Button($0, data: String($0.reversed())) } })
    }

    @Test func anyTextIdsAndKeyboardMatchTheEncoderByteForByte() async {
        await propertyCheck(count: 1000, input: HTMLEscapeProperties.text, Gen.int64(in: Int64.min...Int64.max),
                            Gen.int64(in: -5...Int64.max), Self.keyboard) { text, chat, message, keyboard in
            let messageID: Int64? = message < 0 ? nil : message
            let shown: InlineKeyboard? = message % 3 == 0 ? nil : keyboard
            let reference = try? Self.reference(chat, messageID, text, shown)
            #expect(reference != nil)
            #expect(Self.written(chat, messageID, text, shown) == reference)
        }
    }

    @Test func outgoingTextAndEditCarryTheWrittenPayload() throws {
        let keyboard = InlineKeyboard([[.init("Delete #3", data: "u7|al:del:3")]])
        let message = OutgoingMessage.text("<b>hi</b> & \"bye\"", to: 42, keyboard: keyboard)
        #expect(message.method == "sendMessage")
        #expect(message.payload == (try Self.reference(42, nil, "<b>hi</b> & \"bye\"", keyboard)))
        let edit = OutgoingMessage.edit("x\ny", chatID: 42, messageID: 9)
        #expect(edit.method == "editMessageText")
        #expect(edit.payload == (try Self.reference(42, 9, "x\ny", nil)))
    }
}
