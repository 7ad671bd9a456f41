import Foundation
import Synchronization

/// The engine's own series, named once here so that each name keeps one set of labels.
extension BotMetrics {
    /// One getUpdates batch, counted by update kind (`undecodable` for what could not be read).
    func countReceived(_ slots: [UpdateSlot]) {
        for slot in slots {
            count("pollbot_updates_received_total", [("kind", slot.update.map(Self.kind) ?? "undecodable")])
        }
    }

    /// One delivery attempt of an outbox row: sent, or failed by the reason Telegram gave.
    func countReply(_ outcome: DeliveryOutcome) {
        let reason: String
        switch outcome {
        case .delivered: count("pollbot_replies_sent_total"); return
        case .waitAndRetry: reason = "429"
        case .chatGone: reason = "403"
        case .retryWithBackoff: reason = "5xx_or_network"
        case .resendAsPlainText: reason = "parse_fallback"
        case .migrate: reason = "migrated"
        case .drop: reason = "rejected"
        }
        count("pollbot_replies_failed_total", [("reason", reason)])
    }

    static func kind(_ update: Update) -> String {
        if update.message != nil { return "message" }
        if update.editedMessage != nil { return "edited_message" }
        if update.callbackQuery != nil { return "callback_query" }
        if update.myChatMember != nil { return "my_chat_member" }
        return "other"
    }

    /// Sets the gauges read at scrape time: queues, conversations, the poll loop's last answer, the database
    /// files and the process. Each figure that cannot be read is left at its last value.
    func refreshEngineGauges(store: BotStore, lastGetUpdates: @escaping @Sendable () async -> ContinuousClock.Instant) {
        let cpu = CPUSecondsMark()
        onScrape { [self] in
            if let backlog = try? await store.outboxBacklog() {
                gauge("pollbot_outbox_depth", Double(backlog.depth))
                gauge("pollbot_outbox_oldest_age_seconds", backlog.oldestAge)
            }
            if let pending = try? await store.inboxPending() { gauge("pollbot_inbox_pending", Double(pending)) }
            if let open = try? await store.openConversations() { gauge("pollbot_conversations_open", Double(open)) }
            gauge("pollbot_last_getupdates_age_seconds", (await lastGetUpdates()).duration(to: .now).inSeconds)
            for (file, suffix) in [("db", ""), ("wal", "-wal"), ("shm", "-shm")] {
                gauge("pollbot_sqlite_file_bytes", [("file", file)], ProcessFigures.fileBytes(store.path + suffix))
            }
            if let resident = ProcessFigures.residentBytes() { gauge("pollbot_process_resident_memory_bytes", resident) }
            if let descriptors = ProcessFigures.openDescriptors() { gauge("pollbot_process_open_fds", descriptors) }
            add("pollbot_process_cpu_seconds_total", cpu.advance())
        }
    }
}

/// The CPU seconds already counted, so each scrape adds only what was used since the last.
private final class CPUSecondsMark: Sendable {
    private let counted = Mutex(0.0)

    func advance() -> Double {
        let now = ProcessFigures.cpuSeconds()
        return counted.withLock { counted in
            defer { counted = max(counted, now) }
            return now - counted
        }
    }
}
