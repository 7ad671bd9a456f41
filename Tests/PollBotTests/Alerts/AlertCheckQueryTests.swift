import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The check cycle's reads: per-instrument thresholds instead of every alert's row, the met alerts with their owners'
/// levels in one read, and the owners paged for a host's broker; each against a real SQLite file.
@Suite struct AlertCheckQueryTests {
    static let other = AlertFixture.user + 1

    @Test func watchesHoldTheLowestAboveAndHighestBelowOfArmedAlertsOfUsersNotDisabled() async throws {
        let fixture = try await AlertFixture.make(users: [AlertFixture.user, Self.other])
        try await fixture.arm("TCS", .above, 3500, ltp: 3400)
        try await fixture.arm("TCS", .above, 3450, ltp: 3400)
        try await fixture.arm("TCS", .below, 3300, ltp: 3400)
        try await fixture.arm("TCS", .crosses, 3350, ltp: 3400)
        let fired = try await fixture.arm("TCS", .above, 3401, ltp: 3400)
        try await fixture.store.markAlertsFired([(id: fired, price: 3402)], at: fixture.clock.now)
        try await fixture.arm("INFY", .above, 1600, ltp: 1500)
        // A disabled user's alerts count for nothing: the below 1,490 would otherwise be INFY's highest below.
        try await fixture.arm("INFY", .below, 1490, ltp: 1500, user: Self.other)
        _ = try await fixture.store.setUserDisabled(Self.other, true)
        let watches = try await fixture.store.alertWatches()
        #expect(Array(watches.keys) == [fixture.fake.host])
        let byInstrument = Dictionary(uniqueKeysWithValues: (watches[fixture.fake.host] ?? []).map { ($0.instrument.symbol, $0) })
        #expect(byInstrument["TCS"] == AlertWatch(instrument: Instrument("TCS", "NSE"), lowestAbove: 3450, highestBelow: 3350))
        #expect(byInstrument["INFY"] == AlertWatch(instrument: Instrument("INFY", "NSE"), lowestAbove: 1600, highestBelow: -.infinity))
        let tcs = try #require(byInstrument["TCS"])
        #expect(!tcs.isMet(by: 3449.95) && !tcs.isMet(by: 3350.05))
        #expect(tcs.isMet(by: 3450) && tcs.isMet(by: 3350))
        for absurd in [0, -1, Double.nan, .infinity, -.infinity] { #expect(!tcs.isMet(by: absurd)) }
        await fixture.close()
    }

    @Test func metAlertsAreExactlyThoseThePriceMeetsWithEachOwnersLevel() async throws {
        let fixture = try await AlertFixture.make(users: [AlertFixture.user, Self.other])
        let low = try await fixture.arm("TCS", .above, 3450, ltp: 3400)
        let high = try await fixture.arm("TCS", .above, 3500, ltp: 3400, user: Self.other)
        let below = try await fixture.arm("TCS", .below, 3300, ltp: 3400)
        try await fixture.arm("INFY", .above, 1400, ltp: 1300)
        try await fixture.store.setNotificationLevel(.silent, for: .priceAlerts, of: Self.other)
        let instrument = Instrument("TCS", "NSE")
        let some = try await fixture.store.metAlerts(host: fixture.fake.host, prices: [(instrument, 3460)])
        #expect(some.map(\.alert.id) == [low])
        #expect(some.first?.price == 3460)
        #expect(some.first?.level == NotificationKind.priceAlerts.defaultLevel)
        let both = try await fixture.store.metAlerts(host: fixture.fake.host, prices: [(instrument, 3500)])
        #expect(both.map(\.alert.id) == [low, high])
        #expect(both.last?.level == .silent)
        #expect(try await fixture.store.metAlerts(host: fixture.fake.host, prices: [(instrument, 3300)]).map(\.alert.id) == [below])
        // Another host, or an absurd price, meets nothing.
        #expect(try await fixture.store.metAlerts(host: "http://127.0.0.1:1", prices: [(instrument, 3500)]).isEmpty)
        for absurd in [0, Double.nan, .infinity, -.infinity] {
            #expect(try await fixture.store.metAlerts(host: fixture.fake.host, prices: [(instrument, absurd)]).isEmpty)
        }
        await fixture.close()
    }

    @Test func ownersArePagedInAlertOrderAndOnlyArmedOnesOnTheHost() async throws {
        let fixture = try await AlertFixture.make(users: [AlertFixture.user, Self.other])
        let first = try await fixture.arm("TCS", .above, 3450, ltp: 3400)
        let second = try await fixture.arm("TCS", .above, 3460, ltp: 3400, user: Self.other)
        let third = try await fixture.arm("INFY", .above, 1400, ltp: 1300)
        #expect(try await fixture.store.deleteAlert(second, of: Self.other))
        let page = try await fixture.store.alertOwners(host: fixture.fake.host, after: 0, limit: 1)
        #expect(page.map(\.id) == [first])
        #expect(page.first?.userID == AlertFixture.user && page.first?.account == "main")
        #expect(try await fixture.store.alertOwners(host: fixture.fake.host, after: first, limit: 5).map(\.id) == [third])
        #expect(try await fixture.store.alertOwners(host: "http://127.0.0.1:1", after: 0, limit: 5).isEmpty)
        await fixture.close()
    }

    @Test func aHostWhoseFirstOwnersHaveNoUsableKeyIsReadWithALaterOnesKey() async throws {
        // 40 owners without a linked account come first (more than a page of owners), then one linked user.
        let linked = AlertFixture.user
        let fixture = try await AlertFixture.make(users: [linked])
        for index in 0..<40 { try await fixture.arm("TCS", .above, 3450, ltp: 3400, user: 9_000 + Int64(index)) }
        let armed = try await fixture.arm("TCS", .above, 3450, ltp: 3400, user: linked)
        await fixture.fake.setQuote("TCS", ltp: 3455)
        await fixture.check()
        #expect(try await fixture.store.alert(armed, of: linked)?.state == .fired)
        #expect(try await fixture.queuedTexts().count == 41)
        await fixture.close()
    }
}
