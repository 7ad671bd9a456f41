import BotKit
import Foundation

/// A simulated account's books: cash, intraday positions, holdings, the day's orders and trades.
///
/// It starts with a realistic day already under way (a long, a short, a
/// closed round trip, an open limit order, a rejected and a cancelled one, and
/// four holdings) so that every command has something to show at once.
struct PaperLedger: Sendable {
    struct OpenPosition: Sendable, Equatable {
        var instrument: Instrument
        var product: String
        var quantity: Double
        var averagePrice: Double
        var realized: Double
    }

    struct HeldStock: Sendable, Equatable {
        var instrument: Instrument
        var quantity: Double
        var averagePrice: Double
    }

    /// The cash a fresh account starts with.
    static let startingCash: Double = 1_000_000

    // Internal, not private: the order handling, the day's close and the storage book into them.
    let market: PaperMarket
    /// Cash carried from earlier sessions: the start, their realized P&L, and what deliveries cost or brought in.
    var cash = PaperLedger.startingCash
    /// The session (a day number) the positions, orders and trades belong to.
    var session: Int
    var positions: [OpenPosition] = []
    var holdings: [HeldStock] = []
    var orders: [Order] = []
    var trades: [Trade] = []
    var nextOrderNumber = 1
    /// Analyze mode: orders are checked and answered as simulated, and the books do not change.
    var analyze = false
    /// True for a fresh account seeded after its session's close: the seeded day stays as it was under way (so the
    /// demo has something to show in the evening) until the next session opens, when it is closed like any other.
    var seededAfterClose = false

    /// Books restored from storage, as they were stored.
    init(market: PaperMarket, session: Int) {
        self.market = market
        self.session = session
    }

    init(market: PaperMarket, now: Date) {
        self.market = market
        let session = market.calendar.latestSession(at: now)
        self.session = session
        seededAfterClose = now >= market.calendar.time(day: session, minute: market.calendar.sessionMinutes)
        let elapsed = max(1, market.calendar.elapsedMinutes(of: session, at: now))
        func minute(_ wanted: Int) -> Int { min(wanted, elapsed - 1) }
        let nse = { (symbol: String) in Instrument(symbol, "NSE") }
        // The day so far: fills at fixed minutes of the latest session.
        fill(nse("TCS"), "BUY", 20, "MIS", session: session, minute: minute(5))
        fill(nse("RELIANCE"), "BUY", 50, "MIS", session: session, minute: minute(12))
        fill(nse("SBIN"), "SELL", 100, "MIS", session: session, minute: minute(25))
        fill(nse("TCS"), "SELL", 20, "MIS", session: session, minute: minute(70))
        record(nse("ICICIBANK"), "BUY", 10, "MIS", "LIMIT", status: "open", session: session, minute: minute(40),
               price: ((try? market.price(nse("ICICIBANK"), day: session, minute: minute(40))) ?? 0) * 0.98)
        record(nse("HDFCBANK"), "SELL", 500, "MIS", "MARKET", status: "rejected", session: session, minute: minute(55), price: 0)
        record(nse("AXISBANK"), "BUY", 15, "MIS", "LIMIT", status: "cancelled", session: session, minute: minute(30),
               price: ((try? market.price(nse("AXISBANK"), day: session, minute: minute(30))) ?? 0) * 0.97)
        for (symbol, quantity, sessionsAgo) in [("INFY", 40.0, 120), ("HDFCBANK", 25, 200), ("ITC", 300, 60), ("M&M", 10, 30)] {
            let cost = (try? market.close(nse(symbol), sessionsAgo: sessionsAgo, at: now)) ?? 0
            holdings.append(HeldStock(instrument: nse(symbol), quantity: quantity, averagePrice: cost))
        }
    }

    /// Fills a market order at the price of `minute` and books the trade and the position.
    private mutating func fill(_ instrument: Instrument, _ action: String, _ quantity: Double, _ product: String, session: Int, minute: Int) {
        guard let price = try? market.price(instrument, day: session, minute: minute) else { return }
        let id = record(instrument, action, quantity, product, "MARKET", status: "complete", session: session, minute: minute, price: price)
        execute(instrument, action, quantity, product, price: price, at: market.calendar.time(day: session, minute: minute), orderID: id)
    }

    /// Books the trade of order `orderID` at `price` and moves the position: adds to it, or closes part or all of it
    /// (realizing the P&L) and opens the rest the other way.
    mutating func execute(_ instrument: Instrument, _ action: String, _ quantity: Double, _ product: String, price: Double, at time: Date,
                          orderID id: String) {
        trades.append(Trade(action: action, symbol: instrument.symbol, exchange: instrument.exchange, orderID: id,
                            product: product, quantity: quantity, averagePrice: price, timestamp: Self.clock(time)))
        let signed = action == "BUY" ? quantity : -quantity
        guard let index = positions.firstIndex(where: { $0.instrument == instrument && $0.product == product }) else {
            positions.append(OpenPosition(instrument: instrument, product: product, quantity: signed, averagePrice: price, realized: 0))
            return
        }
        var position = positions[index]
        if position.quantity == 0 || (position.quantity > 0) == (signed > 0) {
            let total = position.quantity + signed
            position.averagePrice = (position.averagePrice * abs(position.quantity) + price * quantity) / abs(total)
            position.quantity = total
        } else {
            let closing = min(abs(signed), abs(position.quantity))
            position.realized += closing * (price - position.averagePrice) * (position.quantity > 0 ? 1 : -1)
            position.quantity += signed
            if position.quantity != 0, abs(signed) > closing { position.averagePrice = price }
        }
        positions[index] = position
    }

    @discardableResult
    private mutating func record(_ instrument: Instrument, _ action: String, _ quantity: Double, _ product: String, _ priceType: String,
                        status: String, session: Int, minute: Int, price: Double) -> String {
        record(instrument, action, quantity, product, priceType, status: status, at: market.calendar.time(day: session, minute: minute),
               price: price)
    }

    /// Adds an order to the book with the next id of the day of `time` ("YYMMDD" and nine digits, as the sandbox's).
    mutating func record(_ instrument: Instrument, _ action: String, _ quantity: Double, _ product: String, _ priceType: String,
                         status: String, at time: Date, price: Double) -> String {
        let (year, month, day) = MarketCalendar.civil(market.calendar.day(of: time))
        let number = String(100_000 + nextOrderNumber)
        let id = CivilTime.twoDigits(year % 100) + CivilTime.twoDigits(month) + CivilTime.twoDigits(day)
            + String(repeating: "0", count: max(0, 9 - number.count)) + number
        nextOrderNumber += 1
        orders.append(Order(action: action, symbol: instrument.symbol, exchange: instrument.exchange, orderID: id,
                            product: product, quantity: quantity, price: PaperMarket.tick(price), priceType: priceType,
                            status: status, timestamp: Self.stamp(time)))
        return id
    }

    /// "14:02:31" in IST, without ICU (a paper order is on the update path).
    static func clock(_ date: Date) -> String { MarketCalendar.india.zone.civil(date).clock(seconds: true) }

    /// "07-Jan-2026 14:02:31" in IST.
    static func stamp(_ date: Date) -> String {
        let local = MarketCalendar.india.zone.civil(date)
        return "\(CivilTime.twoDigits(local.day))-\(CivilTime.monthNames[local.month - 1])-\(local.year) \(local.clock(seconds: true))"
    }
}
