import BotKit
import Foundation
import Logging

/// Checks every P&L threshold not yet fired today against the day's total P&L across its user's accounts, every
/// `[alerts] check_interval` while the market is open; a threshold met is marked fired for the day in the commit that
/// queues its message, so it fires at most once per day and never twice after a crash.
enum PnLThresholdJob: JobKind {
    typealias Services = TraderServices

    struct Parameters: Codable, Sendable, Equatable {}

    static let name = "pnl_thresholds"
    /// The one job's key.
    static let key = "all"
    /// The most thresholds one user may keep.
    static let maxPerUser = 10
    /// Users read at once.
    static let usersAtOnce = 8

    /// Every check interval, only while the market is open: outside it the day's P&L does not move.
    static func schedule(_ settings: AlertSettings) -> JobSchedule {
        .within(window: PriceAlertJob.window, .every(seconds: settings.checkInterval))
    }

    /// Schedules the check unless it is already scheduled as `settings` ask.
    static func ensureScheduled(in store: BotStore, settings: AlertSettings, now: Date = Date()) async throws {
        try await store.ensureJob(Self.self, key: key, parameters: Parameters(), schedule: schedule(settings), now: now)
    }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        let services = context.services
        let calendar = SummaryCalendar(services.config)
        let day = calendar.day(of: context.now)
        guard calendar.market.isTradingDay(day) else { return JobResult() }
        let thresholds = try await services.store.thresholdsUnfired(on: day)
        guard !thresholds.isEmpty else { return JobResult() }
        let byUser = Dictionary(grouping: thresholds, by: \.userID).sorted { $0.key < $1.key }
        let format = DisplayFormat(currency: services.config.broker.currency, timeZone: services.config.broker.timeZone)
        let checks = await byUser.concurrentMap(width: usersAtOnce) { user, thresholds in
            await check(user: user, thresholds: thresholds, format: format, context: context)
        }
        let fired = checks.flatMap(\.fired)
        if fired.isEmpty, let failure = checks.compactMap(\.failure).first, checks.allSatisfy({ $0.failure != nil }) {
            throw JobFailure(failure)
        }
        guard !fired.isEmpty else { return JobResult() }
        return JobResult(messages: checks.flatMap(\.messages), storeWork: { store in try store.markThresholdsFired(fired, on: day) })
    }

    /// One user's part of a cycle: the thresholds met, their messages, or why the total could not be read.
    struct UserCheck: Sendable {
        var userID: Int64
        var fired: [Int64] = []
        var messages: [OutgoingMessage] = []
        var failure: String?
    }

    private static func check(user: Int64, thresholds: [PnLThreshold], format: DisplayFormat,
                              context: JobContext<TraderServices>) async -> UserCheck {
        let services = context.services
        do {
            let level = try await services.store.notificationLevel(.pnlThresholds, of: user)
            // Off: not checked, not marked; turning it on again checks from then.
            guard level != .off else { return UserCheck(userID: user) }
            let sessions = try await services.trading.sessions(userID: user)
            // Fresh, not cached: a level crossed between two checks must not wait for an old answer to expire.
            let answers = await sessions.gather { try await $0.fetch(.funds, refresh: true) { try await $0.funds() }.value }
            var total = 0.0
            for answer in answers {
                // A total missing an account could cross a level the real one does not: wait for every account.
                guard case .success(let funds) = answer else { return UserCheck(userID: user, failure: "an account of user \(user) did not answer") }
                total += funds.realizedPnL + funds.unrealizedPnL
            }
            let met = thresholds.filter { $0.isMet(by: total) }
            let messages = met.map { threshold in
                OutgoingMessage.text(text(threshold, total: total, accounts: sessions.count, at: context.now, format: format), to: threshold.chatID)
            }
            return UserCheck(userID: user, fired: met.map(\.id), messages: level.apply(to: messages))
        } catch {
            context.logger.warning("P&L thresholds not checked for a user", metadata: ["user": "\(user)", "error": "\(error)"])
            return UserCheck(userID: user, failure: "\(error)")
        }
    }

    /// The message of a threshold met by `total`.
    static func text(_ threshold: PnLThreshold, total: Double, accounts: Int, at time: Date, format: DisplayFormat) -> String {
        let side = threshold.direction == .above ? "above" : "below"
        return "\u{1F4CA} <b>P&amp;L \(side) \(format.signedMoney(threshold.level))</b>\n"
            + "Today's P&amp;L \(accounts == 1 ? "" : "across your \(accounts) accounts ")is \(format.signedMoney(total)) at "
            + "\(format.clock(time)). This threshold rests until tomorrow; /notify lists them."
    }
}
