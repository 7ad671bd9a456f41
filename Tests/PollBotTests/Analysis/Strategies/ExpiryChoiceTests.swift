@testable import PollBot
import Foundation
import Testing

/// The expiry nearest the target days: never a past one, ties to the later.
@Suite struct ExpiryChoiceTests {
    let now = AnalysisFixtures.now  // Friday 20 November 2026, 13:30 IST
    func date(_ month: Int, _ day: Int, _ year: Int = 2026) -> ExpiryDate { ExpiryDate(year: year, month: month, day: day)! }

    @Test func theNearestToTheTargetWins() {
        let listed = [date(11, 24), date(12, 29), date(1, 25, 2027)]
        #expect(ExpiryChoice.nearest(to: 30, among: listed, now: now) == date(12, 29))   // 39 days against 4 and 66
        #expect(ExpiryChoice.nearest(to: 7, among: listed, now: now) == date(11, 24))
        #expect(ExpiryChoice.nearest(to: 365, among: listed, now: now) == date(1, 25, 2027))
        #expect(ExpiryChoice.nearest(to: 30, among: listed.reversed(), now: now) == date(12, 29))  // order does not matter
    }

    @Test func tiesGoToTheLaterExpiry() {
        // 18 December is 28 days away, 22 December 32: both 2 from 30.
        #expect(ExpiryChoice.nearest(to: 30, among: [date(12, 18), date(12, 22)], now: now) == date(12, 22))
        #expect(ExpiryChoice.nearest(to: 30, among: [date(12, 22), date(12, 18)], now: now) == date(12, 22))
    }

    @Test func pastExpiriesAndTodayAfterTheCloseAreNeverChosen() {
        #expect(ExpiryChoice.nearest(to: 0, among: [date(11, 19), date(12, 29)], now: now) == date(12, 29))
        // Today before 15:30 IST still trades; after it, the contract is gone.
        #expect(ExpiryChoice.nearest(to: 0, among: [date(11, 20), date(12, 29)], now: now) == date(11, 20))
        let afterClose = now.addingTimeInterval(2.5 * 3_600)  // 16:00 IST
        #expect(ExpiryChoice.nearest(to: 0, among: [date(11, 20), date(12, 29)], now: afterClose) == date(12, 29))
        #expect(ExpiryChoice.nearest(to: 30, among: [date(11, 19)], now: now) == nil)
        #expect(ExpiryChoice.nearest(to: 30, among: [], now: now) == nil)
        #expect(ExpiryChoice.nearest(to: Int.max, among: [date(12, 29)], now: now) == date(12, 29))
        #expect(ExpiryChoice.nearest(to: Int.min, among: [date(12, 29), date(1, 25, 2027)], now: now) == date(12, 29))
    }
}
