/// That a message carries a photo, a voice note or the like, and nothing of its content: whatever the JSON value,
/// it decodes, and it is stored (in the inbox) as `true`.
public struct Attached: Codable, Sendable, Equatable {
    public init() {}

    public init(from decoder: any Decoder) throws {}

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(true)
    }
}

extension Message {
    /// What the message carries instead of text, in words ("a voice message"); nil for none the bot names.
    public var attachment: String? {
        let kinds: [(Attached?, String)] = [(voice, "a voice message"), (audio, "an audio file"), (videoNote, "a video message"),
                                            (video, "a video"), (animation, "an animation"), (photo, "a photo"),
                                            (sticker, "a sticker"), (document, "a document")]
        return kinds.first { $0.0 != nil }?.1
    }
}
