import Foundation

/// The fake OpenAlgo's options: RELIANCE has monthly options, every other symbol none.
///
/// Shapes as shared/docs/openalgo-orders-options.md gives them, traps included: `expiry` writes "29-DEC-26",
/// `optionchain` wants and returns "29DEC26" with `expiry_ts` in epoch seconds; numbers arrive as strings on some
/// strikes; the 1520 call has no quote (prices 0, no Greeks); the 1540 call is not listed (null) and its put has no
/// quote; with `quotesFail` every price is 0, and the reply is still 200 "success", as the real server answers.
/// Prices are Black-Scholes at spot 1420.10 (RELIANCE's fake quote), 6.5 %, 24 % volatility with a mild skew, for
/// the first expiry seen from 2026-11-28.
public enum FakeOpenAlgoOptions {
    /// The underlying with options, and its spot (the fake's RELIANCE quote).
    public static let underlying = "RELIANCE"
    public static let spot = 1420.10
    public static let lotSize = 500
    /// As `expiry` writes them: DD-MMM-YY, ascending. The last Tuesdays of the next months, the first at least 20
    /// days away (29-DEC-26, 26-JAN-27, 23-FEB-27 seen from 2026-11-28), so the analysis finds a live expiry near
    /// 30 days whatever the date the tests run on; the prices stay those of the table.
    public static var expiries: [String] { expiries(from: Date()) }

    static func expiries(from now: Date) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let first = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        return (0..<6).compactMap { offset -> (Date, String)? in
            guard let month = calendar.date(byAdding: .month, value: offset, to: first),
                  let next = calendar.date(byAdding: .month, value: 1, to: month),
                  let last = calendar.date(byAdding: .day, value: -1, to: next) else { return nil }
            // Back from the month's last day to its last Tuesday (weekday 3).
            let back = (calendar.component(.weekday, from: last) - 3 + 7) % 7
            let tuesday = calendar.date(byAdding: .day, value: -back, to: last)!
            let parts = calendar.dateComponents([.year, .month, .day], from: tuesday)
            return (tuesday, String(format: "%02d-%@-%02d", parts.day!, months[parts.month! - 1], parts.year! % 100))
        }.filter { $0.0.timeIntervalSince(now) >= 20 * 86_400 }.prefix(3).map(\.1)
    }
    /// The segments `expiry` accepts.
    static let derivativeExchanges = ["NFO", "BFO", "MCX", "CDS", "NCO", "BCD", "NCDEX", "CRYPTO"]

    /// strike, call (ltp, bid, ask, iv %, delta, gamma, theta, vega), put (the same), open interest in units.
    typealias Leg = (ltp: Double, bid: Double, ask: Double, iv: Double, delta: Double, gamma: Double, theta: Double, vega: Double)
    static let table: [(strike: Double, call: Leg, put: Leg, oi: Int)] = [
        (1320, (114.7, 112.95, 116.45, 25.01, 0.8664, 0.00207, -0.5562, 0.8983), (7.25, 7.1, 7.4, 25.01, -0.1336, 0.00207, -0.3224, 0.8983), 114_500),
        (1340, (98.05, 96.6, 99.55, 24.78, 0.8191, 0.00255, -0.6221, 1.0966), (10.5, 10.3, 10.7, 24.78, -0.1809, 0.00255, -0.3848, 1.0966), 147_000),
        (1360, (82.5, 81.25, 83.75, 24.56, 0.7623, 0.00302, -0.6818, 1.2884), (14.8, 14.55, 15.05, 24.56, -0.2377, 0.00302, -0.4409, 1.2884), 189_000),
        (1380, (68.2, 67.15, 69.25, 24.36, 0.6966, 0.00344, -0.7285, 1.4559), (20.4, 20.05, 20.7, 24.36, -0.3034, 0.00344, -0.4842, 1.4559), 242_500),
        (1400, (55.3, 54.45, 56.15, 24.18, 0.6237, 0.00377, -0.7564, 1.5815), (27.35, 26.95, 27.8, 24.18, -0.3763, 0.00377, -0.5085, 1.5815), 311_500),
        (1420, (43.9, 43.25, 44.6, 24.0, 0.546, 0.00396, -0.7609, 1.651), (35.9, 35.35, 36.45, 24.0, -0.454, 0.00396, -0.5095, 1.651), 400_000),
        (1440, (34.15, 33.6, 34.65, 23.84, 0.4665, 0.004, -0.7403, 1.6563), (46.0, 45.3, 46.7, 23.84, -0.5335, 0.004, -0.4852, 1.6563), 311_500),
        (1460, (25.9, 25.5, 26.35, 23.69, 0.3884, 0.00388, -0.6955, 1.5967), (57.7, 56.8, 58.55, 23.69, -0.6116, 0.00388, -0.4369, 1.5967), 242_500),
        (1480, (19.25, 18.9, 19.55, 23.55, 0.3147, 0.00362, -0.6305, 1.4794), (70.85, 69.8, 71.95, 23.55, -0.6853, 0.00362, -0.3685, 1.4794), 189_000),
        (1500, (13.9, 13.7, 14.15, 23.42, 0.2479, 0.00324, -0.5514, 1.3181), (85.45, 84.15, 86.75, 23.42, -0.7521, 0.00324, -0.2858, 1.3181), 147_000),
        (1520, (0, 0, 0, 0, 0, 0, 0, 0), (101.25, 99.7, 102.8, 23.3, -0.8102, 0.00279, -0.1959, 1.1298), 114_500),
        (1540, (0, 0, 0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0, 0, 0), 0),
    ]

    /// The quote of one of the chain's contracts on NFO ("RELIANCE29DEC261380PE"), priced as in the table; nil for any
    /// other symbol, and for a contract the table has no price for.
    static func quote(symbol: String, exchange: String) -> [String: Any]? {
        guard exchange == "NFO", symbol.hasPrefix(underlying) else { return nil }
        for expiry in expiries {
            for row in table {
                for (type, leg) in [("CE", row.call), ("PE", row.put)] where leg.ltp > 0 {
                    let strike = String(Int(row.strike))
                    guard symbol == "\(underlying)\(code(expiry))\(strike)\(type)" else { continue }
                    return ["ltp": leg.ltp, "open": leg.ltp, "high": leg.ltp * 1.1, "low": leg.ltp * 0.9, "prev_close": leg.ltp,
                            "volume": row.oi / 4, "bid": leg.bid, "ask": leg.ask]
                }
            }
        }
        return nil
    }

    /// The ATM strike: the listed strike nearest the spot.
    public static let atmStrike = 1420.0

    /// "29-DEC-26" as `optionchain` wants it: "29DEC26".
    static func code(_ expiry: String) -> String { expiry.replacingOccurrences(of: "-", with: "") }

    /// The `optionchain` reply for `expiryCode`, `strikeCount` strikes either side of the ATM strike (nil: all).
    static func chain(expiryCode: String, strikeCount: Int?, withGreeks: Bool, quotesFail: Bool) -> [String: Any] {
        let atm = table.firstIndex { $0.strike == atmStrike }!
        let rows = table.enumerated().filter { strikeCount == nil || abs($0.offset - atm) <= strikeCount! }
        let chain: [[String: Any]] = rows.map { index, row in
            let distance = abs(index - atm)
            func leg(_ prices: Leg, type: String) -> Any {
                if row.strike == 1540, type == "CE" { return NSNull() }
                let below = index < atm
                let itm = type == "CE" ? below : index > atm
                let priced = !quotesFail && prices.ltp > 0
                // Every other strike sends its numbers as strings, as some brokers do.
                func number(_ value: Double) -> Any { index % 2 == 0 ? String(format: "%.2f", value) : value }
                var leg: [String: Any] = [
                    "symbol": "\(underlying)\(expiryCode)\(Int(row.strike))\(type)",
                    "label": distance == 0 ? "ATM" : "\(itm ? "ITM" : "OTM")\(distance)",
                    "ltp": number(priced ? prices.ltp : 0), "bid": number(priced ? prices.bid : 0), "ask": number(priced ? prices.ask : 0),
                    "bid_qty": priced ? 1_500 : 0, "ask_qty": priced ? 2_000 : 0, "open": number(priced ? prices.ltp : 0),
                    "high": number(priced ? prices.ltp * 1.1 : 0), "low": number(priced ? prices.ltp * 0.9 : 0),
                    "prev_close": number(priced ? prices.ltp : 0), "volume": priced ? row.oi / 4 : 0,
                    "oi": priced ? number(Double(row.oi)) : 0, "lotsize": lotSize, "tick_size": 0.05,
                ]
                if withGreeks, priced {
                    leg["implied_volatility"] = prices.iv
                    leg["delta"] = prices.delta
                    leg["gamma"] = prices.gamma
                    leg["theta"] = prices.theta
                    leg["vega"] = prices.vega
                }
                return leg
            }
            return ["strike": row.strike, "ce": leg(row.call, type: "CE"), "pe": leg(row.put, type: "PE")]
        }
        let expiry = expiries.first { code($0) == expiryCode }!
        let day = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "Asia/Kolkata"),
                                 year: 2000 + Int(expiry.suffix(2))!, month: monthNumber(expiry), day: Int(expiry.prefix(2))!,
                                 hour: 15, minute: 30)
        return [
            "status": "success", "underlying": underlying, "underlying_symbol": underlying, "underlying_exchange": "NSE",
            "underlying_ltp": spot, "underlying_prev_close": 1402.35, "expiry_date": expiryCode,
            "expiry_ts": Int(day.date!.timeIntervalSince1970), "server_ts": 1_795_000_000, "atm_strike": atmStrike,
            "quotes_included": true, "greeks_included": withGreeks && !quotesFail, "forward_price": NSNull(), "chain": chain,
        ]
    }

    private static func monthNumber(_ expiry: String) -> Int {
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        return (months.firstIndex(of: String(expiry.dropFirst(3).prefix(3))) ?? 0) + 1
    }
}
