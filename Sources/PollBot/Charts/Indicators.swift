import BotKit
import Foundation

/// The studies drawn on charts, computed over candles in order.
public enum Indicators {
    /// Simple moving average of closes; nil until `period` candles exist.
    public static func movingAverage(_ candles: [Candle], period: Int) -> [Double?] {
        guard period > 0 else { return candles.map { _ in nil } }
        var result = [Double?](repeating: nil, count: candles.count)
        var sum = 0.0
        for (index, candle) in candles.enumerated() {
            sum += candle.close
            if index >= period { sum -= candles[index - period].close }
            if index >= period - 1 { result[index] = sum / Double(period) }
        }
        return result
    }

    /// Volume-weighted average price, starting again at each session; nil where a session has no volume yet.
    public static func vwap(_ candles: [Candle], session: (Date) -> Int) -> [Double?] {
        vwap(candles, sessions: candles.map { session($0.time) })
    }

    /// VWAP as above, with each candle's session given by position in `sessions`.
    public static func vwap(_ candles: [Candle], sessions: [Int]) -> [Double?] {
        var result = [Double?](repeating: nil, count: candles.count)
        var currentSession: Int?
        var priceVolume = 0.0, volume = 0.0
        for (index, candle) in candles.enumerated() {
            let day = sessions[index]
            if day != currentSession {
                currentSession = day
                priceVolume = 0
                volume = 0
            }
            priceVolume += (candle.high + candle.low + candle.close) / 3 * candle.volume
            volume += candle.volume
            if volume > 0 { result[index] = priceVolume / volume }
        }
        return result
    }

    /// Support and resistance from swing points.
    ///
    /// Method: a swing high is a candle whose high is the highest of the
    /// `radius` candles on each side (a swing low likewise with lows), taken
    /// over the last `lookback` candles. Swings are taken in price order, and
    /// one within `tolerance` (1.5%) of the level before it joins that level,
    /// which moves to the mean of its swings. Resistance is the levels more
    /// than a third of `tolerance` above the last close, support those as far
    /// below, each ranked by distance from the last close, nearest first (how
    /// often a level was touched does not rank it), at most `count` of each.
    public static func supportResistance(_ candles: [Candle], lookback: Int = 120, radius: Int = 5, tolerance: Double = 0.015,
                                         count: Int = 2) -> (support: [Double], resistance: [Double]) {
        let recent = Array(candles.suffix(lookback))
        guard recent.count >= 2 * radius + 1, let last = recent.last?.close else { return ([], []) }
        var swings: [Double] = []
        for index in radius..<(recent.count - radius) {
            let window = recent[(index - radius)...(index + radius)]
            if recent[index].high >= window.map(\.high).max()! { swings.append(recent[index].high) }
            if recent[index].low <= window.map(\.low).min()! { swings.append(recent[index].low) }
        }
        var levels: [(price: Double, touches: Int)] = []
        for swing in swings.sorted() {
            if let lastLevel = levels.last, abs(swing - lastLevel.price) <= lastLevel.price * tolerance {
                let touches = lastLevel.touches + 1
                levels[levels.count - 1] = ((lastLevel.price * Double(lastLevel.touches) + swing) / Double(touches), touches)
            } else {
                levels.append((swing, 1))
            }
        }
        let above = levels.filter { $0.price > last * (1 + tolerance / 3) }.sorted { $0.price < $1.price }
        let below = levels.filter { $0.price < last * (1 - tolerance / 3) }.sorted { $0.price > $1.price }
        return (Array(below.prefix(count).map(\.price)), Array(above.prefix(count).map(\.price)))
    }
}
