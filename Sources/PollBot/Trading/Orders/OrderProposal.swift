import BotKit
import Foundation

/// What proposing an order produced: the preview, and its Confirm and Cancel buttons when every check passed.
public struct OrderProposal: Sendable {
    public var html: String
    /// Nil when a check failed: such an order cannot be confirmed.
    public var keyboard: InlineKeyboard?
    /// The stored confirmation's id, nil when blocked.
    public var confirmationID: String?

    /// The proposal as messages to `chatID`.
    public func messages(to chatID: Int64) -> [OutgoingMessage] { OutgoingMessage.texts(html, to: chatID, keyboard: keyboard) }
}

/// The preview text: what will be sent, the LTP, the value, the margin, and each check.
enum OrderPreviewText {
    static func html(_ draft: OrderDraft, heading: String, ltp: Double?, checks: [RiskCheck], confirmSeconds: Int, format: DisplayFormat) -> String {
        var lines = [heading, "<code>\(OrderDraftText.line(draft, format: format))</code>"]
        if draft.lotSize > 1, let lots = draft.lots { lines.append("Lots: \(lots) of \(draft.lotSize)") }
        lines.append("LTP: \(ltp.map { format.number($0) } ?? "not available")")
        lines.append("Value: \(RiskChecks.value(of: draft, ltp: ltp).map(format.money) ?? "not available")")
        lines.append("Margin: not available from this broker")
        if draft.origin != "command" { lines.append("From: \(HTML.escape(draft.origin))") }
        lines.append("")
        lines.append("<b>Checks</b>")
        for check in checks {
            lines.append("\(check.passed ? "\u{2713}" : "\u{2717}") \(check.key): \(HTML.escape(check.reason))")
        }
        lines.append("")
        if checks.allSatisfy(\.passed) {
            lines.append("Press Confirm within \(confirmSeconds) s to place it; nothing is sent before.")
        } else {
            lines.append("<b>Blocked</b>: \(checks.filter { !$0.passed }.map(\.key).joined(separator: ", ")). Nothing was sent.")
        }
        return lines.joined(separator: "\n")
    }
}
