import Foundation

/// The JSON of a sendMessage or editMessageText call, written directly: the same bytes `JSONEncoder.telegram` gives
/// (sorted keys, slashes unescaped), without its per-message encoder, boxing and key sort.
///
/// Every reply and every fired alert is one of these, so this is on the path of each update and of each message a
/// job sends (1,000 alerts firing in one cycle build 1,000). `TextPayloadTests` holds it byte for byte to the encoder.
enum TextPayload {
    /// `{"chat_id":…,"link_preview_options":{"is_disabled":true},["message_id":…,]"parse_mode":"HTML",
    /// ["reply_markup":{"inline_keyboard":[[{"callback_data":…,"text":…}]]},]"text":…}`.
    static func encode(chatID: Int64, messageID: Int64?, text: String, keyboard: InlineKeyboard?) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 128 + (keyboard.map { $0.rows.count * 96 } ?? 0))
        append(#"{"chat_id":"#, to: &out)
        append(String(chatID), to: &out)
        append(#","link_preview_options":{"is_disabled":true}"#, to: &out)
        if let messageID {
            append(#","message_id":"#, to: &out)
            append(String(messageID), to: &out)
        }
        append(#","parse_mode":"HTML""#, to: &out)
        if let keyboard {
            append(#","reply_markup":{"inline_keyboard":["#, to: &out)
            for (rowIndex, row) in keyboard.rows.enumerated() {
                if rowIndex > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "["))
                for (index, button) in row.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    append(#"{"callback_data":"#, to: &out)
                    JSONString.append(button.callbackData, to: &out)
                    append(#","text":"#, to: &out)
                    JSONString.append(button.text, to: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(UInt8(ascii: "]"))
            }
            append("]}", to: &out)
        }
        append(#","text":"#, to: &out)
        JSONString.append(text, to: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    private static func append(_ literal: String, to out: inout [UInt8]) {
        out.append(contentsOf: literal.utf8)
    }
}
