import BotKit
import Foundation

/// A broker error in the words a trader can act on, naming the account and the host.
struct BrokerFailure: ReportableError, CustomStringConvertible {
    let error: BrokerError
    let account: String
    let label: String
    let timeout: Int
    let format: DisplayFormat

    init(_ error: BrokerError, account: String, broker: some Broker, settings: BotConfig.Broker) {
        self.error = error
        self.account = account
        label = broker.label
        timeout = settings.timeout
        format = DisplayFormat(currency: settings.currency, timeZone: settings.timeZone)
    }

    var description: String { "\(label): \(error)" }

    var userHTML: String {
        let who = HTML.escape(label.prefix(1).uppercased() + label.dropFirst())
        switch error {
        case .rejectedKey(let message):
            return "\(who) rejected the API key of account <b>\(HTML.escape(account))</b>; /link it again. (It said: \(HTML.escape(message)))"
        case .rateLimited(let retryAfter):
            let seconds = retryAfter ?? 60
            return "\(who) is limiting requests; try again in \(seconds) s (after \(format.clock(Date().addingTimeInterval(TimeInterval(seconds))))."
        case .invalidRequest(let message):
            return "\(who) refused the request: \(HTML.escape(message))"
        case let .server(status, message):
            return "\(who) failed (HTTP \(status)): \(HTML.escape(message))"
        case .unreachable(let transport):
            return transport.isTimeout ? "\(who) did not answer within \(timeout) s. Try again in a moment."
                : "\(who) cannot be reached (\(HTML.escape(transport.message))). Is OpenAlgo running?"
        case .badResponse(.unreadable(let reason)):
            return "\(who) sent an answer I cannot read (\(HTML.escape(reason)))."
        case .badResponse(.unusableValue(let value)):
            return "\(who) sent an unusable value for \(HTML.escape(value.subject)) (not a finite number below 10^15): its data looks corrupt. Check it in OpenAlgo, then try again."
        case let .circuitOpen(since, retryAt):
            return "\(who) has not answered since \(format.shortClock(since)); retrying automatically (next try after \(format.clock(retryAt)))."
        case .outcomeUnknown(let uncertainty):
            return "\(who) did not confirm \(HTML.escape(uncertainty.description)). It may have been carried out: check before trying again."
        }
    }
}
