import BotKit
import Foundation

/// A broker account a user linked; the API key stays sealed.
public struct LinkedAccount: Sendable, Equatable {
    public var userID: Int64
    public var name: String
    public var host: String
    public var sealed: SealedSecret
    /// The last four characters of the key, the only part ever shown.
    public var keyHint: String
    public var linkedAt: Date

    public init(userID: Int64, name: String, host: String, sealed: SealedSecret, keyHint: String, linkedAt: Date) {
        self.userID = userID
        self.name = name
        self.host = host
        self.sealed = sealed
        self.keyHint = keyHint
        self.linkedAt = linkedAt
    }
}
