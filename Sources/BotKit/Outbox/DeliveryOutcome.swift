/// What the sender does after one attempt to deliver an outbox row.
enum DeliveryOutcome: Equatable {
    /// Accepted (or "message is not modified", which leaves the chat as intended).
    case delivered
    /// 429: this chat waits `retry_after` seconds, then the same row goes again.
    case waitAndRetry(seconds: Int)
    /// Network trouble or 5xx: retried with backoff.
    case retryWithBackoff
    /// 400 "can't parse entities": resent once as plain text.
    case resendAsPlainText
    /// The group became a supergroup: move the chat's rows and resend.
    case migrate(to: Int64)
    /// 403: the user blocked the bot; the chat is marked inactive.
    case chatGone
    /// Any other 4xx: retrying cannot help.
    case drop

    /// Classifies a failed Bot API call. Decided on the status and parameters, and on
    /// the description only where Telegram gives nothing else (entities, not modified).
    init(_ error: TelegramError) {
        switch error {
        case .transport, .badResponse:
            self = error.isTransient ? .retryWithBackoff : .drop
        case let .api(code, _, retryAfter, migrateTo):
            let text = error.lowercasedDescription
            if let migrateTo {
                self = .migrate(to: migrateTo)
            } else if code == 429 {
                self = .waitAndRetry(seconds: max(1, retryAfter ?? 5))
            } else if code >= 500 {
                self = .retryWithBackoff
            } else if code == 403 {
                self = .chatGone
            } else if code == 400, text.contains("message is not modified") {
                self = .delivered
            } else if code == 400, text.contains("can't parse entities") {
                self = .resendAsPlainText
            } else {
                self = .drop
            }
        }
    }
}
