import BotKit

/// What every trader command and button gets, typed and always there: the settings, the keys, the store and
/// the broker side.
public struct TraderServices: Sendable {
    public let config: BotConfig
    public let store: BotStore
    public let vault: Vault
    public let trading: TradingHub

    public init(config: BotConfig, store: BotStore, vault: Vault, trading: TradingHub) {
        self.config = config
        self.store = store
        self.vault = vault
        self.trading = trading
    }
}

/// A trader command's context.
public typealias TraderContext = CommandContext<TraderServices>
/// A press of one of the trader app's buttons.
public typealias TraderPress = ButtonPress<TraderServices>
