import BotKit
import Foundation

/// /quote: one symbol in detail, or several in one multiquotes call.
struct QuoteCommand: Command {
    static let name = "quote"
    static let summary = "Quote: LTP, change, day range, volume"
    static let usage = "/quote SYMBOL [EXCHANGE] | /quote SYM1 SYM2 ... [EXCHANGE]"
    static let details: String? = "The exchange defaults to the bot's default (NSE unless the owner changed it). NSE:RELIANCE names one symbol's exchange."

    let words: [String]

    init(arguments: inout ArgumentScanner) throws {
        words = arguments.rest().split(separator: " ").map(String.init)
        guard !words.isEmpty else { throw arguments.failure("Name a symbol, e.g. <code>/quote RELIANCE</code>.") }
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let session = try await context.tradingSession()
        let instruments = try InstrumentList(words, defaultExchange: session.hub.broker.defaultExchange, usage: Self.usage).instruments
        let format = session.format
        if instruments.count == 1, let instrument = instruments.first {
            let fetched = try await session.fetch(.quotes(instrument.description)) { try await $0.quote(instrument) }
            let quote = fetched.value
            var table = TextTable()
            table.row("LTP", format.number(quote.ltp))
            table.row("Change", "\(format.signed(quote.change)) (\(format.percent(quote.changePercent)))")
            table.row("Open", format.number(quote.open))
            table.row("High", format.number(quote.high))
            table.row("Low", format.number(quote.low))
            table.row("Prev close", format.number(quote.previousClose))
            table.row("Volume", quote.volume == 0 ? "n/a" : format.quantity(quote.volume))
            return context.reply(session.heading("\(instrument.symbol) \(instrument.exchange)") + "\n" + table.html
                                 + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache))
        }
        let key = instruments.map(\.description).joined(separator: ",")
        let fetched = try await session.fetch(.quotes(key)) { try await $0.quotes(instruments) }
        var table = TextTable()
        var answered: Set<Instrument> = []
        for result in fetched.value {
            answered.insert(result.instrument)
            let name = "\(result.instrument.symbol) \(result.instrument.exchange)"
            switch result.outcome {
            case .success(let quote):
                table.row(name, "\(format.number(quote.ltp)) \(format.percent(quote.changePercent))")
            case .failure(let failure):
                table.row(name, "no quote")
                table.line(" \(failure.message)")
            }
        }
        for missing in instruments where !answered.contains(missing) {
            table.row("\(missing.symbol) \(missing.exchange)", "no quote")
            table.line(" the broker did not answer for it")
        }
        return context.reply(session.heading("Quotes") + "\n" + table.html + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache))
    }
}
