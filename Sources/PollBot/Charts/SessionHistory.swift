import BotKit
import Foundation

extension TradingSession {
    /// The last `sessions` sessions of candles, oldest first; asks for extra calendar days, since brokers know holidays
    /// the calendar does not. Shared by /chart and /analyze.
    func history(_ instrument: Instrument, interval: String, sessions: Int, kind: ChartSpec.Kind, now: Date = Date()) async throws -> [Candle] {
        let calendar = MarketCalendar.india
        let days = calendar.tradingDays(endingAt: calendar.day(of: now), count: sessions + sessions / 10 + 3)
        let start = calendar.midnight(of: days[0])
        let candles = try await call { try await $0.history(instrument, interval: interval, start: start, end: now) }
            .sorted { $0.time < $1.time }
        guard kind == .intraday else { return Array(candles.suffix(sessions)) }
        var sessionDays: [Int] = []
        for candle in candles where sessionDays.last != calendar.day(of: candle.time) { sessionDays.append(calendar.day(of: candle.time)) }
        let kept = Set(sessionDays.suffix(sessions))
        return candles.filter { kept.contains(calendar.day(of: $0.time)) }
    }
}
