import BotKit
import Foundation

/// Every linked account added up: cash, holdings, open positions, today's P&L, where the money sits.
///
/// Account value is available cash plus holdings value: what the account is worth if nothing else moves.
/// Exposure by segment counts holdings at their value and open positions at their notional (|quantity| × LTP),
/// since a derivatives position commits its notional, not its margin.
struct PortfolioSummary: Sendable, Equatable {
    /// What one account said.
    struct Account: Sendable, Equatable {
        var name: String
        var funds: Funds
        var holdings: Holdings
        var positions: [Position]
    }

    /// Where a position trades, as a trader groups exposure.
    enum Segment: String, Sendable, CaseIterable {
        case equity = "Equity", futuresAndOptions = "F&O", other = "Commodity & currency"

        init(exchange: String) {
            switch exchange.uppercased() {
            case "NSE", "BSE": self = .equity
            case "NFO", "BFO": self = .futuresAndOptions
            default: self = .other
            }
        }
    }

    /// One open position, with the account it is in.
    struct Exposure: Sendable, Equatable {
        var account: String
        var position: Position
        var notional: Double { abs(position.quantity) * position.ltp }
    }

    var cash = 0.0
    var holdingsValue = 0.0
    var openPositionPnL = 0.0
    var todayPnL = 0.0
    /// Account name and value (cash + holdings), in the accounts' order.
    var accountValues: [(name: String, value: Double)] = []
    var exposureBySegment: [Segment: Double] = [:]
    /// The open positions, largest notional first.
    var largest: [Exposure] = []

    init(_ accounts: [Account], largestCount: Int = 5) {
        var open: [Exposure] = []
        for account in accounts {
            let holdings = account.holdings.statistics.value
            cash += account.funds.availableCash
            holdingsValue += holdings
            todayPnL += account.funds.realizedPnL + account.funds.unrealizedPnL
            accountValues.append((account.name, account.funds.availableCash + holdings))
            exposureBySegment[.equity, default: 0] += holdings
            for position in account.positions where position.isOpen {
                openPositionPnL += position.pnl
                let exposure = Exposure(account: account.name, position: position)
                exposureBySegment[Segment(exchange: position.exchange), default: 0] += exposure.notional
                open.append(exposure)
            }
        }
        largest = Array(open.sorted { $0.notional > $1.notional }.prefix(largestCount))
    }

    /// Cash and holdings of every account that answered.
    var total: Double { cash + holdingsValue }

    /// `part` of `whole` in percent, or nil when the whole is zero.
    static func share(_ part: Double, of whole: Double) -> Double? { whole > 0 ? part / whole * 100 : nil }

    static func == (lhs: PortfolioSummary, rhs: PortfolioSummary) -> Bool {
        lhs.cash == rhs.cash && lhs.holdingsValue == rhs.holdingsValue && lhs.openPositionPnL == rhs.openPositionPnL
            && lhs.todayPnL == rhs.todayPnL && lhs.accountValues.map(\.name) == rhs.accountValues.map(\.name)
            && lhs.accountValues.map(\.value) == rhs.accountValues.map(\.value) && lhs.exposureBySegment == rhs.exposureBySegment
            && lhs.largest == rhs.largest
    }
}
