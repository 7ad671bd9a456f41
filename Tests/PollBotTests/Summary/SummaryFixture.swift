import BotKit
import Foundation
@testable import PollBot
import TestSupport

/// The daily summary and P&L threshold jobs on a real SQLite file and the fake OpenAlgo over libcurl, run by the
/// engine's scheduler on a manual clock (`pass(at:)` is one `runDue`): the alert fixture's rig, with these jobs scheduled.
struct SummaryFixture {
    static let user: Int64 = 7301
    let base: AlertFixture

    var fake: FakeOpenAlgo { base.fake }
    var directory: TemporaryDirectory { base.directory }
    var services: TraderServices { base.services }
    var clock: ManualDate { base.clock }
    var store: BotStore { services.store }
    var calendar: SummaryCalendar { SummaryCalendar(services.config) }

    /// Wednesday 7 Jan 2026, 11:00 in Mumbai: a trading day, the market open.
    static let wednesday = AlertFixture.marketOpen

    /// `time` ("15:45") in Mumbai on the day `days` after Wednesday 7 Jan 2026.
    static func mumbai(_ time: String, daysAfterWednesday days: Int = 0) -> Date {
        let parts = time.split(separator: ":").compactMap { Int($0) }
        // From the fixture's 11:00 back to midnight, then on to the time.
        return wednesday.addingTimeInterval(TimeInterval(days * 86_400 - 11 * 3600 + parts[0] * 3600 + parts[1] * 60))
    }

    static func make(users: [Int64] = [user], start: Date = wednesday, fake: FakeOpenAlgo? = nil,
                     directory: TemporaryDirectory? = nil) async throws -> SummaryFixture {
        let base = try await AlertFixture.make(users: users, fake: fake, directory: directory, start: start)
        let config = base.services.config
        try await DailySummaryJob.ensureScheduled(in: base.store, config: config, now: start)
        try await PnLThresholdJob.ensureScheduled(in: base.store, settings: config.alerts, now: start)
        return SummaryFixture(base: base)
    }

    /// The same database and fake after a restart at `date`: a new store, a new scheduler.
    func restarted(at date: Date) async throws -> SummaryFixture {
        try await Self.make(start: date, fake: fake, directory: directory)
    }

    /// One scheduler pass at `date`.
    @discardableResult
    func pass(at date: Date) async -> Int {
        clock.advance(by: date.timeIntervalSince(clock.now))
        return await base.scheduler.runDue()
    }

    /// The outbox's messages as the user reads them (tags removed, entities decoded) with their `disable_notification`, oldest first.
    func queued() async throws -> [(text: String, silent: Bool, chat: Int64)] {
        try await store.pendingOutbox().compactMap { item in
            guard let object = try? JSONSerialization.jsonObject(with: item.message.payload) as? [String: Any],
                  let text = object["text"] as? String else { return nil }
            let visible = text.replacing(/<[^>]+>/, with: "").replacing("&lt;", with: "<").replacing("&gt;", with: ">")
                .replacing("&amp;", with: "&")
            return (visible, object["disable_notification"] as? Bool ?? false, item.message.chatID)
        }
    }

    /// The fake's funds from now on: today's realized and unrealized P&L.
    func setPnL(realized: Double, unrealized: Double) async {
        await fake.setReply("funds", body: """
            {"status":"success","data":{"availablecash":"1000.00","collateral":0,"m2mrealized":"\(realized)",\
            "m2munrealized":"\(unrealized)","utiliseddebits":"0"}}
            """)
    }

    func close() async { await base.close() }
}
