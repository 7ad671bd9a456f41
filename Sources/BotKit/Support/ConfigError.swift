/// A problem only the operator can fix (a bot.toml key, a key file), said so they can; the process exits 78 on it.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}
