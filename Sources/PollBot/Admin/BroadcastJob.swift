import BotKit
import Foundation

/// One confirmed broadcast: its first run queues one message per recipient (a delivery group, committed with the job's
/// parameters, so a crash neither loses nor repeats it); later runs edit the admin's preview into a progress message
/// from the group's durable counts, and the run that finds nothing left in the outbox writes the final count and ends.
enum BroadcastJob: JobKind {
    typealias Services = TraderServices

    struct Parameters: Codable, Sendable, Equatable {
        var broadcast: Int64
        var adminID: Int64
        /// The admin's chat and the preview message that becomes the progress message.
        var chatID: Int64
        var messageID: Int64
        /// Messages queued; nil until the first run queued them.
        var queued: Int?
        /// Recipients who turned announcements off.
        var skipped = 0
        /// The progress text last sent, so an unchanged count is not edited again (Telegram refuses it anyway).
        var shown = ""
    }

    static let name = "broadcast"
    /// Seconds between progress edits: often enough to watch, far below the chat's flood limit.
    static let interval = 3

    /// The delivery group of broadcast `id`.
    static func group(_ id: Int64) -> String { "broadcast:\(id)" }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        let store = context.services.store
        let group = group(parameters.broadcast)
        var next = parameters
        var messages: [OutgoingMessage] = []
        let counts: DeliveryGroupCounts
        if parameters.queued == nil {
            guard let html = try await store.broadcastHTML(parameters.broadcast) else {
                throw JobFailure("broadcast \(parameters.broadcast) is not in the database")
            }
            let recipients = try await store.broadcastRecipients(excluding: parameters.adminID)
            // Through the outbox: it keeps Telegram's flood limits and drops chats that blocked the bot, counting them.
            messages = recipients.flatMap { $0.level.apply(to: [OutgoingMessage.text(html, to: $0.userID)]) }
                .map { $0.inDeliveryGroup(group) }
            next.queued = messages.count
            next.skipped = recipients.count - messages.count
            counts = DeliveryGroupCounts(pending: messages.count)
        } else {
            counts = try await store.deliveryCounts(group)
        }
        let done = counts.pending == 0
        let text = try await progressText(counts, next, done: done, store: store)
        if text != parameters.shown {
            messages.append(.edit(text, chatID: parameters.chatID, messageID: parameters.messageID))
            next.shown = text
        }
        guard done else { return JobResult(messages: messages, parameters: next) }
        // Also as a message of its own: an edit neither notifies nor arrives when the admin deleted the preview.
        messages.append(.text(headline(counts, next, done: true), to: parameters.chatID))
        return JobResult(messages: messages, parameters: next, finished: true) { try $0.forgetDeliveryGroup(group) }
    }

    /// "Broadcast: 120 of 500 sent, 3 blocked, 0 failed…", or the final count; the announcement below when it fits.
    static func progressText(_ counts: DeliveryGroupCounts, _ parameters: Parameters, done: Bool, store: BotStore) async throws -> String {
        let head = headline(counts, parameters, done: done)
        // Telegram counts UTF-16 units; the escaped text is never shorter than what Telegram counts, so this is safe.
        guard let html = try await store.broadcastHTML(parameters.broadcast),
              head.utf16.count + html.utf16.count + 2 <= 4096 else { return head }
        return head + "\n\n" + html
    }

    /// The counts line of the progress message (the final count when `done`).
    static func headline(_ counts: DeliveryGroupCounts, _ parameters: Parameters, done: Bool) -> String {
        let total = parameters.queued ?? counts.total
        let skipped = parameters.skipped > 0 ? "; \(parameters.skipped) skipped (announcements off)" : ""
        return done
            ? "<b>Broadcast finished</b>: \(counts.sent) of \(total) sent, \(counts.blocked) blocked (they blocked the bot), "
                + "\(counts.failed) failed\(skipped)."
            : "<b>Broadcast</b>: \(counts.sent) of \(total) sent, \(counts.blocked) blocked, \(counts.failed) failed\u{2026}"
    }
}
