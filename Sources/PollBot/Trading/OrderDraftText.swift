import BotKit
import Foundation

/// An order draft as conversations store it (JSON in their data) and as replies describe it.
enum OrderDraftText {
    static func encoded(_ draft: OrderDraft) -> String? {
        (try? JSONEncoder().encode(draft)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The draft stored in a conversation's data; nil when absent or not a sane draft (a tampered or older row).
    static func decoded(_ text: String) -> OrderDraft? {
        guard let draft = try? JSONDecoder().decode(OrderDraft.self, from: Data(text.utf8)), draft.quantity > 0, draft.lotSize > 0,
              draft.lots != nil, draft.price.map({ UnusableValue.isUsable($0) && $0 > 0 }) ?? (draft.priceType == .market) else { return nil }
        return draft
    }

    /// One line: "SELL 250 (1 lot) RELIANCE25DEC1400PE NFO, LIMIT 23.45, NRML".
    static func line(_ draft: OrderDraft, format: DisplayFormat) -> String {
        let lots = draft.lotSize > 1 ? " (\(draft.lots.map { "\($0) lot\($0 == 1 ? "" : "s")" } ?? "not whole lots"))" : ""
        let price = draft.price.map { " \(format.number($0))" } ?? ""
        return "\(draft.action.rawValue) \(draft.quantity)\(lots) \(HTML.escape(draft.symbol)) \(HTML.escape(draft.exchange)), "
            + "\(draft.priceType.rawValue)\(price), \(draft.product.rawValue)"
    }

    /// The reply to Execute where this user may not trade (`refusal` says why): nothing is sent, and the user sees what
    /// would have been.
    static func notPlaced(_ draft: OrderDraft, because refusal: String, format: DisplayFormat) -> String {
        "\(HTML.escape(refusal))\nNo order was placed. It would have been:\n<code>\(line(draft, format: format))</code>\n"
            + "Place it in OpenAlgo yourself if you want it. Send /analyze to look at another stock."
    }
}
