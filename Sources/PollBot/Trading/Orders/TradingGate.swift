import BotKit

/// Who may place orders: nobody while `[trading] enabled` is false; then the listed users and the admins.
public enum TradingGate {
    public static let off = "Trading is off on this bot. Read commands (/positions, /orderbook, /quote…) work as usual."
    public static let notAllowed = "You may not place orders here. Ask the bot's operator to add you to [trading] users."

    /// Nil when `userID` may trade, else the reply that says why not.
    public static func refusal(for userID: Int64, settings: TradingSettings, admins: [Int64]) -> String? {
        guard settings.enabled else { return off }
        return settings.users.contains(userID) || admins.contains(userID) ? nil : notAllowed
    }

    /// Nil when `userID` may switch OpenAlgo's analyzer mode: the admins always, others as for orders.
    public static func modeRefusal(for userID: Int64, settings: TradingSettings, admins: [Int64]) -> String? {
        admins.contains(userID) ? nil : refusal(for: userID, settings: settings, admins: admins)
    }
}
