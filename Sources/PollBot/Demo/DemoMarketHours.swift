import BotKit
import Foundation

/// What the demo says about the session at its clock's time: open until when, or closed and how to reach the open.
struct DemoMarketHours: Sendable {
    let calendar: MarketCalendar
    /// The zone the demo shows times in ([broker] time_zone).
    let timeZone: ZoneRules

    /// The next session open after `time`; nil only past the calendar's reach.
    func nextOpen(after time: Date) -> Date? {
        let today = calendar.day(of: time)
        for day in today...(today + 30) where calendar.isTradingDay(day) {
            let open = calendar.time(day: day, minute: 0)
            if open > time { return open }
        }
        return nil
    }

    /// "Wed 7 Jan 2026, 10:15 (Asia/Kolkata)".
    func show(_ time: Date) -> String {
        let local = timeZone.civil(time)
        return "\(local.dayLabel), \(local.clock()) (\(timeZone.identifier))"
    }

    /// One line on the session at `time`: open until the close, or closed with the step that reaches 5 minutes
    /// past the next open (so the paper prices have started to move).
    func status(at time: Date) -> String {
        if calendar.isOpen(at: time) {
            let close = calendar.time(day: calendar.day(of: time), minute: calendar.sessionMinutes)
            return "The market is open until \(show(close)); paper prices move minute by minute."
        }
        guard let open = nextOpen(after: time) else { return "The market is closed." }
        let step = DemoTimeStep.argument(covering: open.timeIntervalSince(time) + 300)
        return "The market is closed (it opens \(show(open))), so paper prices stand still and price alerts wait: "
            + "<code>/demo_time \(step)</code> moves the demo into the session."
    }
}
