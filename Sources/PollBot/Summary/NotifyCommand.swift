import BotKit
import Foundation

/// /notify: P&L thresholds on the day's total across every linked account, each firing at most once per day.
struct NotifyCommand: Command {
    static let name = "notify"
    static let summary = "Tell me when today's P&L passes a level"
    static let usage = "/notify pnl above|below AMOUNT | /notify | /notify off"
    static let details: String? = "/notify pnl below -5000 tells you once a day when the day's total P&L across your accounts "
        + "falls to -5,000 or lower; /notify pnl above 10000 when it reaches 10,000. Checked while the market is open. "
        + "/notify lists them, /notify off removes them all. /settings sets how they arrive."
    static let privateOnly = true

    /// The largest amount a threshold takes: far beyond any day's P&L, small enough to print exactly.
    static let maxAmount = 1e10

    enum Action: Equatable {
        case list, clear
        case add(PnLThreshold.Direction, Double)
    }

    let action: Action

    init(arguments: inout ArgumentScanner) throws {
        guard let first = arguments.optionalWord()?.lowercased() else {
            action = .list
            return
        }
        switch first {
        case "off":
            action = .clear
        case "pnl", "p&l":
            let side = try arguments.word("above or below")
            let direction: PnLThreshold.Direction
            switch side.lowercased() {
            case "above", ">", ">=": direction = .above
            case "below", "<", "<=": direction = .below
            default: throw arguments.failure("Say <code>above</code> or <code>below</code>, not \u{201C}\(Self.shown(side))\u{201D}.")
            }
            let amount = try arguments.word("The amount")
            action = .add(direction, try Self.amount(amount, direction: direction, arguments: arguments))
        default:
            throw arguments.failure("I know <code>/notify pnl</code> and <code>/notify off</code>, not \u{201C}\(Self.shown(first))\u{201D}.")
        }
        try arguments.finish()
    }

    /// A plain amount of money: digits with an optional sign, grouping commas and two decimals. No exponent, NaN or
    /// infinity; a loss level needs its sign, since "below 5000" most often means a loss of 5,000.
    static func amount(_ text: String, direction: PnLThreshold.Direction, arguments: ArgumentScanner) throws -> Double {
        let plain = text.replacing(",", with: "").replacing("\u{20B9}", with: "")
        guard plain.wholeMatch(of: /[+-]?[0-9]{1,11}(\.[0-9]{1,2})?/) != nil, let value = Double(plain), value.isFinite else {
            throw arguments.failure("\u{201C}\(shown(text))\u{201D} is not an amount; write it like <code>-5000</code> or <code>10000.50</code>.")
        }
        guard abs(value) <= maxAmount else { throw arguments.failure("An amount must be within \u{00B1}10,000,000,000.") }
        if direction == .below, value > 0, !plain.hasPrefix("+") {
            throw arguments.failure("Give a loss with its sign: <code>/notify pnl below -\(shown(plain))</code> "
                                    + "(or <code>below +\(shown(plain))</code> for a profit falling under it).")
        }
        return value
    }

    /// Typed text as a reply may show it: escaped and cut short.
    static func shown(_ text: String) -> String { HTML.escape(String(text.prefix(32))) }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let store = context.services.store
        let config = context.services.config
        let format = DisplayFormat(currency: config.broker.currency, timeZone: config.broker.timeZone)
        switch action {
        case .list:
            let thresholds = try await store.thresholds(of: user.id)
            guard !thresholds.isEmpty else {
                return context.reply("No P&amp;L thresholds. Add one with <code>/notify pnl below -5000</code> or <code>/notify pnl above 10000</code>.")
            }
            let today = SummaryCalendar(config).day(of: Date())
            let level = try await store.notificationLevel(.pnlThresholds, of: user.id)
            let lines = thresholds.map { threshold in
                "\u{2022} \(threshold.direction.rawValue) \(format.signedMoney(threshold.level))"
                    + (threshold.firedDay == today ? " \u{2013} fired today" : "")
            }
            return context.reply("<b>P&amp;L thresholds</b> (today's total across your accounts, once a day each; \(level.rawValue) in /settings)\n"
                                 + lines.joined(separator: "\n") + "\n/notify off removes them all.")
        case .clear:
            let removed = try await store.deleteThresholds(of: user.id)
            return context.reply(removed == 0 ? "You had no P&amp;L thresholds." : "Removed \(removed == 1 ? "1 P&amp;L threshold" : "\(removed) P&amp;L thresholds").")
        case .add(let direction, let level):
            // Before storing: thresholds on no account would never be checked.
            _ = try await context.services.trading.sessions(userID: user.id)
            do {
                _ = try await store.addThreshold(userID: user.id, chatID: context.chat.id, direction: direction, level: level,
                                                 limit: PnLThresholdJob.maxPerUser, now: Date())
            } catch BotStore.ThresholdRefusal.duplicate {
                throw UserError("You already have that threshold; /notify lists them.")
            } catch BotStore.ThresholdRefusal.limit(let limit) {
                throw UserError("You have \(limit) P&amp;L thresholds, the most allowed. Remove them with /notify off first.")
            }
            let seconds = config.alerts.checkInterval
            return context.reply("\u{1F4CA} I will tell you once a day when today's P&amp;L across your accounts is \(direction.rawValue) "
                                 + "\(format.signedMoney(level)) (checked every \(seconds) s while the market is open).")
        }
    }
}
