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

    /// Series that exist before their first event, at 0, so that dashboards and alert rules see them (and `rate()`
    /// works) from the first scrape: every reply failure reason, refusals, given-up updates, and each job kind.
    func declareEngineSeries(version: String, startedAt: Date, jobKinds: [String]) {
        gauge("pollbot_build_info", [("version", version)], 1)
        gauge("pollbot_process_start_time_seconds", startedAt.timeIntervalSince1970)
        count("pollbot_replies_sent_total", by: 0)
        for reason in ["429", "403", "5xx_or_network", "parse_fallback", "migrated", "rejected"] {
            count("pollbot_replies_failed_total", [("reason", reason)], by: 0)
        }
        count("pollbot_rate_limit_refusals_total", by: 0)
        count("pollbot_updates_failed_total", [("kind", "given_up")], by: 0)
        for kind in jobKinds {
            count("pollbot_jobs_run_total", [("kind", kind)], by: 0)
            count("pollbot_jobs_failed_total", [("kind", kind)], by: 0)
        }
    }

    /// Sets the gauges read at scrape time: queues, conversations, users, the poll loop's last answer, the database
    /// files and the process. Each figure that cannot be read is left at its last value.
    func refreshEngineGauges(store: BotStore, lastGetUpdates: @escaping @Sendable () async -> ContinuousClock.Instant) {
        let cpu = CPUSecondsMark()
        let ends = ConversationEndsMark()
        onScrape { [self] in
            if let users = try? await store.userCounts() {
                gauge("pollbot_users_known", Double(users.total))
                for (window, active) in [("1d", users.day), ("7d", users.week), ("30d", users.month)] {
                    gauge("pollbot_users_active", [("window", window)], Double(active))
                }
            }
            if let totals = try? await store.conversationEnds() {
                for (outcome, gain) in ends.advance(totals) {
                    count("pollbot_conversations_ended_total", [("outcome", outcome.rawValue)], by: gain)
                }
            }
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

/// The conversation endings already counted. The store keeps them across restarts, but a counter starts at 0 with
/// its process, so the first reading is the baseline and each scrape adds only the endings since the last one.
private final class ConversationEndsMark: Sendable {
    private let counted = Mutex<[ConversationOutcome: Int]?>(nil)

    func advance(_ totals: [ConversationOutcome: Int]) -> [(ConversationOutcome, Int)] {
        counted.withLock { counted in
            defer { counted = totals.merging(counted ?? [:], uniquingKeysWith: max) }
            let baseline = counted ?? totals
            return ConversationOutcome.allCases.map { ($0, max(0, (totals[$0] ?? 0) - (baseline[$0] ?? 0))) }
        }
    }
}
