import BotKit

/// /cancelorder ORDERID: previews cancelling one open order of the active account; it is cancelled only after Confirm.
struct CancelOrderCommand: Command {
    static let name = "cancelorder"
    static let summary = "Cancel an open order: preview and confirm"
    static let usage = "/cancelorder ORDERID"
    static let details: String? = "The id is the one /orderbook shows after #. Nothing is sent until you press Confirm. "
        + "(/cancel ends a conversation; this cancels an order.)"
    static let privateOnly = true

    let orderID: String

    init(arguments: inout ArgumentScanner) throws {
        orderID = try OrderIDArgument.read(&arguments)
        try arguments.finish()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        return try await context.services.orders.proposeCancel(orderID: orderID, userID: user.id, chatID: context.chat.id)
            .messages(to: context.chat.id)
    }
}

/// /modify ORDERID [@PRICE] [QTY]: previews a new price and/or quantity for one open order, with the order checks.
struct ModifyCommand: Command {
    static let name = "modify"
    static let summary = "Change an open order's price or quantity: preview and confirm"
    static let usage = "/modify ORDERID [@PRICE] [QTY]"
    static let details: String? = "Give a new limit price after @, a new quantity in units, or both. A market order given a price "
        + "becomes a limit order. Nothing is sent until you press Confirm."
    static let privateOnly = true

    let orderID: String
    let price: Double?
    let quantity: Int?

    init(arguments: inout ArgumentScanner) throws {
        orderID = try OrderIDArgument.read(&arguments)
        var price: Double?, quantity: Int?
        while let word = arguments.optionalWord() {
            if word.hasPrefix("@") {
                guard price == nil, let value = TradeArguments.price(word) else {
                    throw arguments.failure("The price must be a number above 0 after @, like <code>@1500</code> or <code>@1499.5</code>, given once.")
                }
                price = value
            } else {
                guard quantity == nil, word.count <= 9, word.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(word), value > 0 else {
                    throw arguments.failure("The quantity must be a whole number of units above 0, like <code>10</code>, given once; "
                                            + "a price starts with @.")
                }
                quantity = value
            }
        }
        guard price != nil || quantity != nil else { throw arguments.failure("Say what to change: a new @PRICE, a new quantity, or both.") }
        self.price = price
        self.quantity = quantity
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        return try await context.services.orders.proposeModify(orderID: orderID, price: price, quantity: quantity, userID: user.id,
                                                               chatID: context.chat.id).messages(to: context.chat.id)
    }
}

/// The ORDERID argument: one word a broker could have issued as an order id.
enum OrderIDArgument {
    static func read(_ arguments: inout ArgumentScanner) throws -> String {
        let word = try arguments.word("The order id")
        guard let id = OrderID.sane(word), id.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0)
                                                                          || "-_.:/".unicodeScalars.contains($0) }) else {
            throw arguments.failure("That is not an order id: letters, digits and - _ . : / only, at most 64, as /orderbook shows after #.")
        }
        return id
    }
}
