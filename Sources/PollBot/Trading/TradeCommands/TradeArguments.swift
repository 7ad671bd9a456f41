import BotKit
import Foundation

/// The arguments of /buy and /sell: `QTY SYMBOL [EXCHANGE] [@PRICE | market] [PRODUCT]`, read strictly so that a
/// typo never becomes an order.
struct TradeArguments: Sendable, Equatable {
    var quantity: Int
    var symbol: String
    var exchange: String?
    /// Nil for a market order.
    var price: Double?
    var product: OrderProduct?

    /// F&O exchanges, where quantities are whole lots and the default product is NRML.
    static let derivatives: Set<String> = ["NFO", "BFO", "CDS", "BCD", "MCX", "NCDEX", "NCO"]

    init(arguments: inout ArgumentScanner) throws {
        let words = arguments.rest().split(separator: " ").map(String.init)
        guard words.count >= 2, words.count <= 5 else {
            throw arguments.failure("Give a quantity and a symbol, e.g. <code>/buy 10 INFY</code> or <code>/buy 10 INFY @1500</code>.")
        }
        guard words[0].count <= 9, words[0].allSatisfy(\.isASCII), let quantity = Int(words[0]), quantity > 0 else {
            throw arguments.failure("The quantity must be a whole number of units above 0, like <code>10</code>.")
        }
        self.quantity = quantity
        let symbol = words[1].uppercased()
        guard symbol.count <= 40, symbol.wholeMatch(of: /[A-Z0-9&_\-]+/) != nil else {
            throw arguments.failure("That is not a trading symbol: letters, digits, &, - and _ only, at most 40.")
        }
        self.symbol = symbol
        var exchange: String?, price: Double?, product: OrderProduct?, sawPrice = false
        for word in words.dropFirst(2) {
            let upper = word.uppercased()
            if word.hasPrefix("@") {
                guard !sawPrice, let value = Self.price(word) else {
                    throw arguments.failure("The price must be a number above 0 after @, like <code>@1500</code> or <code>@1499.5</code>.")
                }
                price = value
                sawPrice = true
            } else if upper == "MARKET" {
                guard !sawPrice else { throw arguments.failure("Give either @PRICE or market, not both.") }
                sawPrice = true
            } else if let known = OrderProduct(rawValue: upper) {
                guard product == nil else { throw arguments.failure("Give one product: CNC, MIS or NRML.") }
                product = known
            } else if OrderRequest.exchanges.contains(upper), exchange == nil, !sawPrice, product == nil {
                exchange = upper
            } else {
                throw arguments.failure("I do not know <code>\(HTML.escape(String(word.prefix(20))))</code> here: an exchange "
                                        + "(NSE, BSE, NFO…) comes after the symbol, then @PRICE or market, then CNC, MIS or NRML.")
            }
        }
        self.exchange = exchange
        self.price = price
        self.product = product
    }

    /// The draft these arguments describe; `lotSize` is 1 outside F&O.
    /// The price in an `@PRICE` word: digits and a point only, above 0 and below `OrderRequest.maxPrice`; else nil.
    static func price(_ word: String) -> Double? {
        guard word.hasPrefix("@"), word.count <= 16, word.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(word.dropFirst()), value.isFinite, value > 0, value < OrderRequest.maxPrice else { return nil }
        return value
    }

    func draft(_ action: OrderAction, exchange: String, lotSize: Int) -> OrderDraft {
        let product = product ?? (Self.derivatives.contains(exchange) ? .nrml : .cnc)
        return OrderDraft(symbol: symbol, exchange: exchange, action: action, quantity: quantity, lotSize: lotSize,
                          priceType: price == nil ? .market : .limit, price: price, product: product, origin: "command")
    }
}

/// What /buy and /sell share: the gate, the lot size, the preview.
enum TradeCommand {
    static let usageTail = "QTY SYMBOL [EXCHANGE] [@PRICE | market] [PRODUCT]"

    static func run(_ arguments: TradeArguments, _ action: OrderAction, in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let services = context.services
        if let refusal = TradingGate.refusal(for: user.id, settings: services.config.trading, admins: services.config.security.admins) {
            return context.reply(HTML.escape(refusal))
        }
        let exchange = arguments.exchange ?? services.trading.broker.defaultExchange
        var lotSize = 1
        if TradeArguments.derivatives.contains(exchange) {
            // A wrong lot size would send the wrong number of contracts: without the broker's figure the order is refused.
            guard let known = await LotSizes.lotSize(of: arguments.symbol, exchange: exchange, services: services, userID: user.id) else {
                throw UserError("I cannot find the lot size of \(HTML.escape(arguments.symbol)) on \(exchange), so I will not guess it. "
                                + "Place this F&amp;O order in OpenAlgo.")
            }
            guard arguments.quantity % known == 0 else {
                throw UserError("\(arguments.quantity) is not a whole number of lots: \(HTML.escape(arguments.symbol)) trades in lots of \(known).")
            }
            lotSize = known
        }
        let proposal = try await services.orders.propose(arguments.draft(action, exchange: exchange, lotSize: lotSize),
                                                         userID: user.id, chatID: context.chat.id)
        return proposal.messages(to: context.chat.id)
    }
}
