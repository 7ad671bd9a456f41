import BotKit

/// /buy: previews a buy order with its risk checks; it is placed only after its Confirm button.
struct BuyCommand: Command {
    static let name = "buy"
    static let summary = "Buy: preview, check and confirm an order"
    static let usage = "/buy \(TradeCommand.usageTail)"
    static let details: String? = "Market unless @PRICE is given; CNC on NSE/BSE, NRML on F&O unless a product is named. "
        + "Nothing is sent until you press Confirm on the preview."
    static let privateOnly = true

    let arguments: TradeArguments

    init(arguments: inout ArgumentScanner) throws { self.arguments = try TradeArguments(arguments: &arguments) }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] { try await TradeCommand.run(arguments, .buy, in: context) }
}

/// /sell: previews a sell order with its risk checks; it is placed only after its Confirm button.
struct SellCommand: Command {
    static let name = "sell"
    static let summary = "Sell: preview, check and confirm an order"
    static let usage = "/sell \(TradeCommand.usageTail)"
    static let details: String? = BuyCommand.details
    static let privateOnly = true

    let arguments: TradeArguments

    init(arguments: inout ArgumentScanner) throws { self.arguments = try TradeArguments(arguments: &arguments) }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] { try await TradeCommand.run(arguments, .sell, in: context) }
}
