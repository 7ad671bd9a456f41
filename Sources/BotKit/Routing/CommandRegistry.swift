/// The commands the bot knows; `/help` and Telegram's "/" menu are built from it.
public struct CommandRegistry: Sendable {
    public let commands: [any Command.Type]
    public let buttons: [any ButtonHandler.Type]
    private let byName: [String: any Command.Type]

    public init(_ commands: [any Command.Type], buttons: [any ButtonHandler.Type] = []) {
        self.commands = commands
        self.buttons = buttons
        var byName: [String: any Command.Type] = [:]
        for command in commands {
            precondition(byName[command.name] == nil, "command /\(command.name) registered twice")
            byName[command.name] = command
        }
        self.byName = byName
    }

    /// The command called `name` (lowercase, no slash).
    public func command(named name: String) -> (any Command.Type)? { byName[name] }

    /// The handler of a button action (`prefix:...`).
    public func button(for action: String) -> (any ButtonHandler.Type)? {
        let prefix = action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? action
        return buttons.first { $0.prefix == prefix }
    }

    /// The entries of setMyCommands.
    public var menu: [BotCommandInfo] {
        commands.map { BotCommandInfo(command: $0.name, description: $0.summary) }
    }

    /// Every command the bot ships with.
    public static let standard = CommandRegistry([
        StartCommand.self,
        HelpCommand.self,
        LinkCommand.self,
        AccountsCommand.self,
        UseCommand.self,
        UnlinkCommand.self,
        StatusCommand.self,
        MenuCommand.self,
        FundsCommand.self,
        PnLCommand.self,
        PositionsCommand.self,
        HoldingsCommand.self,
        OrderBookCommand.self,
        TradeBookCommand.self,
        QuoteCommand.self,
        ChartCommand.self,
        WhoAmICommand.self,
    ], buttons: [MenuButtons.self])
}
