import Foundation

/// A command sent while the bot was down longer than `staleAfter`, or a button pressed while it was down, is not
/// acted on: the user is told and may send it again (an old /closeall or Confirm must not fire by surprise).
public struct StaleGuard: UpdateMiddleware {
    public let staleAfter: TimeInterval
    /// Times shown to users are in this zone.
    public let timeZone: ZoneRules

    /// How much older than the real downtime the measured one may be: the bot's last stamp can be that old when it
    /// stops (a long poll plus the stamp interval), and a press made during a quick restart must not be refused.
    public let pressSlack: TimeInterval

    public init(staleAfter: TimeInterval, timeZone: ZoneRules, pressSlack: TimeInterval = 0) {
        self.staleAfter = staleAfter
        self.timeZone = timeZone
        self.pressSlack = pressSlack
    }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        switch request.kind {
        case .button:
            // A press carries no time of its own: one that waited in Telegram's queue through a downtime longer than
            // `staleAfter` may be that old, so it is not acted on (a press during a short restart is).
            guard let since = request.waitedSince, request.receivedAt.timeIntervalSince(since) > staleAfter + pressSlack else {
                return nil
            }
            return RouterResponse(text: "This button was pressed while the bot was offline, so nothing was done. Press it again if you still want it.",
                                  outcome: .stale)
        case .message(let message, let parsed):
            let sentAt = Date(timeIntervalSince1970: TimeInterval(message.date))
            guard request.receivedAt.timeIntervalSince(sentAt) > staleAfter else { return nil }
            guard let parsed else {
                // Text typed in a private chat may answer a conversation ("yes" to a confirmation): an old one must not.
                guard message.chat.isPrivate, message.text != nil else { return nil }
                return RouterResponse(text: "Your message sent at \(clockTime(sentAt)) arrived while the bot was offline, so I did not act on it; send it again if you still mean it.",
                                      outcome: .stale)
            }
            let name = HTML.escape(CommandLogStep.loggedName(parsed, known: request.command != nil))
            return RouterResponse(text: "\(name) sent at \(clockTime(sentAt)) was not run because the bot was offline; send it again if you still want it.",
                                  outcome: .stale)
        }
    }

    private func clockTime(_ date: Date) -> String { timeZone.civil(date).clock() }
}
