import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /demo_time on the demo's own bot: one clock moves the paper prices, the job scheduler and the market hours together.
@Suite struct DemoTimeTests {
    let reliance = Instrument("RELIANCE", "NSE")
    let fired = "It fired once"

    @Test func onlyTheDemoHasTheCommand() {
        #expect(TraderApp.registry.command(named: DemoTimeCommand.name) == nil)
        #expect(!TraderApp.registry.help.contains { $0.name == DemoTimeCommand.name })
        #expect(!TraderApp.registry.menu.contains { $0.command == DemoTimeCommand.name })
        #expect(DemoBot.registry.help.contains { $0.name == DemoTimeCommand.name })
    }

    @Test func advancingMovesPaperPricesAndFiresAnAlertAboveThePriceExactlyOnce() async throws {
        let rig = try await DemoRig()
        let start = DemoRig.wednesdayMorning, market = PaperMarket()
        let opening = try market.quote(reliance, at: start).ltp
        // The first half-hour step whose price clears every earlier one by ₹0.50; a level between fires there, not before.
        let prices = try (1...12).map { try market.quote(reliance, at: start.addingTimeInterval(Double($0) * 1800)).ltp }
        var high = opening, crossing: Int?
        for (index, price) in prices.enumerated() {
            if price >= high + 0.5 { crossing = index; break }
            high = max(high, price)
        }
        let step = try #require(crossing, "RELIANCE should rise ₹0.50 above its earlier prices within six hours")
        let level = PaperMarket.tick(high + 0.25)

        let armed = await rig.send("/alert RELIANCE above \(String(format: "%.2f", level))")
        #expect(armed.contains("Alert #1 armed"))
        for _ in 0..<step {
            let moved = await rig.send("/demo_time +30m")
            #expect(moved.contains("Demo time moved 30m to"))
            #expect(!moved.contains(fired))
        }
        let crossed = await rig.send("/demo_time +30m")
        let format = AlertText.format(rig.demo.config)
        let firedAt = start.addingTimeInterval(Double(step + 1) * 1800)
        #expect(crossed.contains(fired))
        #expect(crossed.contains("LTP \(format.number(prices[step])) at \(format.clock(firedAt))"))
        await rig.send("/demo_time +30m")
        await rig.send("/demo_time +2h")
        #expect(rig.transcript.components(separatedBy: fired).count == 2)  // once, whatever came after

        let store = try await rig.store()
        let alert = try #require(try await store.alerts(of: DemoTelegram.userID).first)
        #expect(alert.state == .fired && alert.firedPrice == prices[step] && alert.firedAt == firedAt)
        try await rig.stop()
    }

    @Test func theSchedulerRunsWhatBecameDueAtTheAdvancedTimeOnce() async throws {
        let rig = try await DemoRig()
        let store = try await rig.store()
        let closeSummary = DemoRig.wednesdayMorning.addingTimeInterval(6 * 3600 + 25 * 60)  // Wednesday 15:45
        let before = try #require(try await store.job(DailySummaryJob.self, key: DailySummaryJob.key))
        #expect(before.nextRunAt == closeSummary && before.lastRunAt == nil)

        let reply = await rig.send("/demo_time +1d")
        #expect(reply.contains("Demo time moved 1d to Thu 8 Jan 2026, 09:20 (Asia/Kolkata)"))
        #expect(reply.contains("every job due by then ran"))
        let now = rig.demo.clock.now()
        #expect(now == DemoRig.wednesdayMorning.addingTimeInterval(86_400))
        let after = try #require(try await store.job(DailySummaryJob.self, key: DailySummaryJob.key))
        // Missed once while the clock jumped: it ran once, at the new time, and waits for Thursday's 15:45.
        #expect(after.lastRunAt == now && after.nextRunAt == closeSummary.addingTimeInterval(86_400))
        for job in try await store.jobs() where job.state == .active {
            #expect(job.nextRunAt > now, "\(job.kind) is still due")
        }
        try await rig.stop()
    }

    @Test func badStepsMoveNothingAndReplyWithTheForm() async throws {
        let rig = try await DemoRig()
        let store = try await rig.store()
        let jobs = try await store.jobs()
        for bad in ["+abc", "-5m", "+1e308h", "+99999d", "+", "+0m", "+30m and more"] {
            let reply = await rig.send("/demo_time \(bad)")
            #expect(reply.contains("+30m"), "\(bad): \(reply)")
            #expect(!reply.contains("Demo time moved"))
            #expect(rig.demo.clock.offset == 0)
        }
        #expect(try await store.jobs() == jobs)
        let shown = await rig.send("/demo_time")
        #expect(shown.contains("Demo time: Wed 7 Jan 2026, 09:20 (Asia/Kolkata), the real time (not moved yet)."))
        #expect(shown.contains("The market is open until Wed 7 Jan 2026, 15:30 (Asia/Kolkata)"))
        try await rig.stop()
    }

    @Test func aDemoStartedOnAWeekendSaysSoAndTheSuggestedStepReachesTheSession() async throws {
        let saturday = DemoRig.wednesdayMorning.addingTimeInterval(3 * 86_400)
        let rig = try await DemoRig(start: saturday)
        let status = rig.demo.marketStatus
        #expect(status.contains("The market is closed (it opens Mon 12 Jan 2026, 09:15 (Asia/Kolkata))"))
        #expect(status.contains("/demo_time +48h moves the demo into the session"))
        let reply = await rig.send("/demo_time +48h")
        #expect(reply.contains("Mon 12 Jan 2026, 09:20 (Asia/Kolkata)") && reply.contains("The market is open until"))
        #expect(MarketCalendar.india.isOpen(at: rig.demo.clock.now()))
        let shown = await rig.send("/demo_time")
        #expect(shown.contains("2d ahead of the real time"))
        try await rig.stop()
    }
}
