import BotKit
import Foundation
import Logging

/// The daily summary: at `[alerts] summary_time` on trading days, each user with a linked account (and the daily
/// summary not off) gets the day's P&L per account and in total, open positions, fills and rejections, at their level.
///
/// Each summary's snapshots are stored in the run's commit with its message, so a crash before the commit neither sends
/// nor stores anything and the run repeats; after downtime the missed summary runs once and says it is late.
enum DailySummaryJob: JobKind {
    typealias Services = TraderServices

    struct Parameters: Codable, Sendable, Equatable {}

    static let name = "daily_summary"
    /// The one job's key.
    static let key = "all"
    /// Users read at once: each costs three calls per account, and 10,000 users must not open 30,000 requests together.
    static let usersAtOnce = 8

    /// The schedule a bot.toml asks for.
    static func schedule(_ config: BotConfig) -> JobSchedule {
        .daily(hour: config.alerts.summaryHour, minute: config.alerts.summaryMinute, timeZone: config.broker.timeZone.identifier)
    }

    /// Schedules the summary unless it is already scheduled as `config` asks (a restart keeps its row and next time).
    static func ensureScheduled(in store: BotStore, config: BotConfig, now: Date = Date()) async throws {
        try await store.ensureJob(Self.self, key: key, parameters: Parameters(), schedule: schedule(config), now: now)
    }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        let services = context.services
        let calendar = SummaryCalendar(services.config)
        // A weekend or holiday run (or a late one that missed only such days) sends nothing.
        guard let due = calendar.missedSummary(scheduledFor: context.scheduledFor, now: context.now) else { return JobResult() }
        let day = calendar.reportDay(at: context.now)
        let format = DisplayFormat(currency: services.config.broker.currency, timeZone: services.config.broker.timeZone)
        // Late as the scheduler counts it, but measured from the last summary missed: after a weekend down, Friday's.
        let late = context.isLate && context.now.timeIntervalSince(due) > context.lateAfter
            ? (due: "\(format.shortClock(due)) on \(calendar.label(calendar.day(of: due)))",
               now: "\(format.shortClock(context.now)) on \(calendar.label(calendar.day(of: context.now)))")
            : nil
        let users = try await services.store.summaryUsers(paper: services.trading.paper != nil)
        let label = calendar.label(day)
        let summaries = await users.concurrentMap(width: usersAtOnce) { user in
            await summarize(user: user, day: day, label: label, late: late, format: format, context: context)
        }.compactMap { $0 }
        // Every account of every user failing is the broker being down: retry with backoff rather than tell everyone.
        if !summaries.isEmpty, summaries.allSatisfy({ $0.snapshots.isEmpty }) {
            throw JobFailure("no account answered for the daily summary")
        }
        let snapshots = summaries.flatMap(\.snapshots), now = context.now
        return JobResult(messages: summaries.flatMap(\.messages), storeWork: { store in try store.saveSnapshots(snapshots, at: now) })
    }

    /// One user's summary: its messages (at the user's level) and the snapshots stored with them.
    struct UserSummary: Sendable {
        var userID: Int64
        var messages: [OutgoingMessage]
        var snapshots: [DailySnapshot]
    }

    /// Nil when the user turned the summary off or has no account any more.
    private static func summarize(user: Int64, day: Int, label: String, late: (due: String, now: String)?, format: DisplayFormat,
                                  context: JobContext<TraderServices>) async -> UserSummary? {
        let services = context.services
        do {
            let level = try await services.store.notificationLevel(.dailySummary, of: user)
            guard level != .off else { return nil }
            let sessions = try await services.trading.sessions(userID: user)
            let answers = await sessions.gather { try await AccountDay.read($0) }
            var accounts: [AccountDay] = [], failures: [String] = []
            for (session, answer) in zip(sessions, answers) {
                switch answer {
                case .success(let account): accounts.append(account)
                case .failure(let error): failures.append(session.failureLine(error, doing: "daily summary", logger: context.logger))
                }
            }
            let html = DailySummaryText.render(day: label, accounts: accounts, failures: failures, format: format,
                                               demo: sessions.first?.broker.isDemo ?? false, late: late)
            // Private chats have the user's id: the summary goes where the user linked their account.
            return UserSummary(userID: user, messages: level.apply(to: OutgoingMessage.texts(html, to: user)),
                               snapshots: accounts.map { $0.snapshot(userID: user, day: day) })
        } catch {
            context.logger.warning("daily summary skipped a user", metadata: ["user": "\(user)", "error": "\(error)"])
            return nil
        }
    }
}
