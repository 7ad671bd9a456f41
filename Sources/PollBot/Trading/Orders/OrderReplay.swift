import BotKit

/// What the confirming press tells when its update is replayed after a crash that came between the recorded outcome
/// and the stored reply: the verdict again, read from the store alone. Nothing goes to the broker.
extension OrderDesk {
    /// The verdict of `intent`, whose outcome is recorded (the store replays neither an open intent, which the startup
    /// check tells, nor a placed one whose id went out before its claim): its state, broker order id and stored message
    /// (already redacted when it was recorded; escaped here).
    static func replayVerdict(_ intent: OrderIntent, format: DisplayFormat) -> String {
        let line = "<code>\(OrderDraftText.line(intent.draft, format: format))</code>"
        let message = HTML.escape(intent.message)
        let said = message.isEmpty ? "" : " (\(message))"
        let order = intent.brokerOrderID.map { " <code>\(HTML.escape($0))</code>" } ?? ""
        let verdict = switch intent.state {
        case .placed: "<b>Placed</b>: order\(order)\(said). Nothing was sent again; /orderbook shows its status."
        case .queued: queuedVerdict(said: said)
        case .simulated: simulatedVerdict(detail: said)
        case .rejected, .failed: "Not placed: \(message.isEmpty ? "no reason was recorded" : message). Nothing was sent again."
        case .ambiguous: "I cannot tell whether this order was placed\(said). Nothing was sent again; check /orderbook before sending it again."
        case .unchecked: "Not checked\(said). Check the order book in OpenAlgo before sending it again."
        case .sending, .unknown: "The outcome is still being checked; I will send it here as soon as I know."
        }
        return "\(line)\n\(verdict)"
    }

    /// The reply to the confirming press of an action replayed after a crash during its one broker call: the call may
    /// have gone out, so it is not sent again, and only the user can see whether it was done.
    static func cutShortByRestart(_ action: PendingAction) -> String {
        "The bot restarted while this was being sent to OpenAlgo, so I do not know whether it was done. Nothing was sent again; "
            + "check OpenAlgo, and \(action.retry) if it is still needed."
    }
}
