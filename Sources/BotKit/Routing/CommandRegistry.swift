/// The commands and buttons a bot knows; `/help` and Telegram's "/" menu are built from it.
public struct CommandRegistry<Services: Sendable>: Sendable {
    public let commands: [any Command<Services>.Type]
    public let buttons: [any ButtonHandler<Services>.Type]
    private let byName: [String: any Command<Services>.Type]

    public init(_ commands: [any Command<Services>.Type], buttons: [any ButtonHandler<Services>.Type] = []) {
        self.commands = commands
        self.buttons = buttons
        var byName: [String: any Command<Services>.Type] = [:]
        for command in commands {
            precondition(byName[command.name] == nil, "command /\(command.name) registered twice")
            byName[command.name] = command
        }
        self.byName = byName
    }

    /// The command called `name` (lowercase, no slash).
    public func command(named name: String) -> (any Command<Services>.Type)? { byName[name] }

    /// The handler of a button action (`prefix:...`).
    public func button(for action: String) -> (any ButtonHandler<Services>.Type)? {
        let prefix = action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? action
        return buttons.first { $0.prefix == prefix }
    }

    /// Every command's help, in registration order.
    public var help: [HelpEntry] { commands.map { $0.helpEntry } }

    /// The entries of setMyCommands.
    public var menu: [BotCommandInfo] {
        commands.map { BotCommandInfo(command: $0.name, description: $0.summary) }
    }

    /// A registry with `more` commands added (a test bot's extra commands, say).
    public func adding(_ more: [any Command<Services>.Type]) -> CommandRegistry {
        CommandRegistry(commands + more, buttons: buttons)
    }
}
