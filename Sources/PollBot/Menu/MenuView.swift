import BotKit
import Foundation
import Logging

/// The screens of /menu: the home screen and one per portfolio view, with their buttons.
enum MenuView: String, CaseIterable {
    case funds, pnl, positions, holdings, orders, trades

    var command: any PortfolioCommand.Type {
        switch self {
        case .funds: FundsCommand.self
        case .pnl: PnLCommand.self
        case .positions: PositionsCommand.self
        case .holdings: HoldingsCommand.self
        case .orders: OrderBookCommand.self
        case .trades: TradeBookCommand.self
        }
    }

    var buttonTitle: String {
        switch self {
        case .funds: "Funds"
        case .pnl: "P&L"
        case .positions: "Positions"
        case .holdings: "Holdings"
        case .orders: "Orders"
        case .trades: "Trades"
        }
    }

    /// Room left on a page for "Page 2/3" after the splitter closes an open `<pre>`.
    static let pageLimit = MessageSplitter.messageLimit - 200

    /// The home screen: the active account's cash and P&L, and a button per view.
    static func home(_ session: TradingSession, owner: Int64, refresh: Bool, logger: Logger) async -> (String, InlineKeyboard) {
        var html = session.heading("Menu") + "\n"
        do {
            let fetched = try await session.fetch(.funds, refresh: refresh) { try await $0.funds() }
            let funds = fetched.value, format = session.format
            var table = TextTable()
            table.row("Available cash", format.money(funds.availableCash))
            table.row("P&L today", format.signedMoney(funds.realizedPnL + funds.unrealizedPnL))
            html += table.html + "Pick what to show." + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
        } catch {
            html += FailureReport(error, doing: "the menu's funds", logger: logger).html + "\nThe buttons still work."
        }
        func button(_ view: MenuView) -> InlineKeyboard.Button {
            .init(view.buttonTitle, data: CallbackData(owner: owner, action: "menu:\(view.rawValue):0:0").encoded)
        }
        let keyboard = InlineKeyboard([
            [button(.funds), button(.pnl), button(.positions)],
            [button(.holdings), button(.orders), button(.trades)],
            [.init("\u{21BB} Refresh", data: CallbackData(owner: owner, action: "menu:home:0:1").encoded)],
        ])
        return (html, keyboard)
    }

    /// One page of this view, with Prev/Next when there are several, Refresh and Back.
    func page(_ session: TradingSession, number: Int, owner: Int64, refresh: Bool) async throws -> (String, InlineKeyboard) {
        let pages = MessageSplitter.split(try await command.render(session, refresh: refresh), limit: Self.pageLimit)
        let index = max(0, min(number, pages.count - 1))
        var html = pages[index]
        func data(_ page: Int, refresh: Bool = false) -> String {
            CallbackData(owner: owner, action: "menu:\(rawValue):\(page):\(refresh ? 1 : 0)").encoded
        }
        var rows: [[InlineKeyboard.Button]] = []
        if pages.count > 1 {
            html += "\nPage \(index + 1) of \(pages.count)"
            var paging: [InlineKeyboard.Button] = []
            if index > 0 { paging.append(.init("\u{25C0} Prev", data: data(index - 1))) }
            if index < pages.count - 1 { paging.append(.init("Next \u{25B6}", data: data(index + 1))) }
            rows.append(paging)
        }
        rows.append([.init("\u{21BB} Refresh", data: data(index, refresh: true)),
                     .init("\u{00AB} Back", data: CallbackData(owner: owner, action: "menu:home:0:0").encoded)])
        return (html, InlineKeyboard(rows))
    }
}
