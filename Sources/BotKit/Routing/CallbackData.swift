/// Button data that names the user the button was sent to: `u<id>|<action>` (at most 64 bytes).
public struct CallbackData: Sendable, Equatable {
    public var owner: Int64
    public var action: String

    public init(owner: Int64, action: String) {
        self.owner = owner
        self.action = action
    }

    public init?(_ text: String) {
        guard text.hasPrefix("u"), let bar = text.firstIndex(of: "|"),
              let owner = Int64(text[text.index(after: text.startIndex)..<bar])
        else { return nil }
        self.owner = owner
        action = String(text[text.index(after: bar)...])
    }

    /// The encoded form for `callback_data`.
    public var encoded: String { "u\(owner)|\(action)" }
}
