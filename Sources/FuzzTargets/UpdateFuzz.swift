#if DEBUG
@testable import BotKit
import Foundation

/// Update JSON → the decoding the poller does (one slot at a time, then the whole batch), the command parser and the
/// button data the router reads. No network and no store: the router's own checks sit behind the store.
enum UpdateFuzz {
    static func run(_ data: [UInt8]) throws {
        let json = Data(data)
        let decoder = JSONDecoder()
        // A batch: one bad update must never fail the rest, so decoding the array itself fails only on non-arrays.
        if let slots = try? decoder.decode([UpdateSlot].self, from: json) {
            for slot in slots {
                try require((slot.update == nil) != (slot.decodingError == nil), "a slot is either an update or an error")
                if let update = slot.update { try route(update) }
            }
        }
        if let update = try? decoder.decode(Update.self, from: json) { try route(update) }
    }

    /// What `UpdateRouter` reads of an update before its middleware runs.
    static func route(_ update: Update) throws {
        _ = update.chatID
        for message in [update.message, update.editedMessage, update.callbackQuery?.message].compactMap({ $0 }) {
            guard let command = CommandParser.parse(message, botUsername: "pollbot_bot") else { continue }
            try require(command.typed.hasPrefix("/"), "typed command \(command.typed) lacks its slash")
            try require(!command.name.contains("@"), "command name \(command.name) keeps the bot's name")
            try require(command.name == command.name.lowercased(), "command name \(command.name) is not lowercased")
            try require(command.arguments == command.arguments.trimmingCharacters(in: .whitespacesAndNewlines),
                        "arguments keep surrounding whitespace")
            try require(command.arguments.isEmpty || (message.text?.contains(command.arguments) ?? false), "arguments are not from the text")
        }
        if let data = update.callbackQuery?.data, let button = CallbackData(data) {
            try require(CallbackData(button.encoded) == button, "button data \(data) does not round-trip")
        }
    }
}
#endif
