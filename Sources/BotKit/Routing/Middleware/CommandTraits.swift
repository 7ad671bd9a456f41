/// What the steps before a handler need to know of a command.
public struct CommandTraits: Sendable, Equatable {
    public var name: String
    public var privateOnly: Bool
    public var carriesSecret: Bool
    public var openToEveryone: Bool

    public init(name: String, privateOnly: Bool = false, carriesSecret: Bool = false, openToEveryone: Bool = false) {
        self.name = name
        self.privateOnly = privateOnly
        self.carriesSecret = carriesSecret
        self.openToEveryone = openToEveryone
    }
}

extension Command {
    /// This command as the middleware steps see it.
    public static var traits: CommandTraits {
        CommandTraits(name: name, privateOnly: privateOnly, carriesSecret: carriesSecret, openToEveryone: openToEveryone)
    }
}
