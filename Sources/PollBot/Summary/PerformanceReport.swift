import Foundation

/// Day-by-day P&L from the daily snapshots: each day's total across accounts, best and worst day, win rate and the
/// deepest fall of the running total from a previous peak.
struct PerformanceReport: Sendable, Equatable {
    /// One trading day's total P&L across the user's accounts.
    struct Day: Sendable, Equatable {
        var day: Int
        var pnl: Double
    }

    /// Days with a snapshot, oldest first.
    let days: [Day]

    /// Sums each day's accounts; non-finite values (never stored by the job, but a file can be edited) count as 0.
    init(_ snapshots: [DailySnapshot]) {
        var byDay: [Int: Double] = [:]
        for snapshot in snapshots { byDay[snapshot.day, default: 0] += snapshot.total.isFinite ? snapshot.total : 0 }
        days = byDay.keys.sorted().map { Day(day: $0, pnl: byDay[$0]!) }
    }

    var total: Double { days.reduce(0) { $0 + $1.pnl } }
    var best: Day? { days.max { $0.pnl < $1.pnl } }
    var worst: Day? { days.min { $0.pnl < $1.pnl } }
    /// Days that ended in profit.
    var wins: Int { days.count { $0.pnl > 0 } }
    /// Share of days that ended in profit, 0 to 100; nil without days.
    var winRate: Double? { days.isEmpty ? nil : Double(wins) / Double(days.count) * 100 }

    /// The largest fall of the cumulative P&L from its highest point before (starting from 0), as a positive amount.
    var maxDrawdown: Double {
        var running = 0.0, peak = 0.0, deepest = 0.0
        for day in days {
            running += day.pnl
            peak = max(peak, running)
            deepest = max(deepest, peak - running)
        }
        return deepest
    }
}
