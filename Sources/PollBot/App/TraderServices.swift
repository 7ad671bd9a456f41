import BotKit

/// What every trader command and button gets, typed and always there: the settings, the keys, the store and
/// the broker side.
public struct TraderServices: Sendable {
    public let config: BotConfig
    public let store: BotStore
    public let vault: Vault
    public let trading: TradingHub
    /// The order flow's clock and waits (tests inject their own).
    public let orderTiming: OrderTiming
    /// The clock the jobs and the paper market run by (the demo moves it; a live bot's is the system time).
    public let clock: BotClock

    public init(config: BotConfig, store: BotStore, vault: Vault, trading: TradingHub, orderTiming: OrderTiming = .live,
                clock: BotClock = BotClock()) {
        self.clock = clock
        self.config = config
        self.store = store
        self.vault = vault
        self.trading = trading
        self.orderTiming = orderTiming
    }

    /// The guarded order flow on these services.
    public var orders: OrderDesk { OrderDesk(services: self) }
}

/// A trader command's context.
public typealias TraderContext = CommandContext<TraderServices>
/// A press of one of the trader app's buttons.
public typealias TraderPress = ButtonPress<TraderServices>
