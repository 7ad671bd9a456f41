import BotKit
import Foundation

/// One kind of thing wrong with the running bot that an admin should hear about: a stable key per kind (every open
/// host makes one breaker warning, every failing job one jobs warning, so each kind is rate-limited as one) and one
/// text saying what is wrong and what to do.
struct OperationalWarning: Sendable, Equatable {
    var key: String
    var text: String

    /// A breaker must stay open this long before it pages: a short outage heals itself.
    static let breakerGrace: TimeInterval = 5 * 60
    /// The window the error rate is measured over.
    static let errorWindow: TimeInterval = 15 * 60
    /// Above this share of failed commands in the window, admins are told.
    static let errorRate = 0.05
    /// Fewer commands than this in the window say nothing: 1 failure of 3 is not an outage.
    static let minimumSample = 20
    /// More queued messages than this is a backlog.
    static let outboxBacklog = 100
    /// A job failing this many runs in a row is broken, not unlucky.
    static let jobFailures = 3

    /// At most this many hosts or jobs are named in one warning; the rest are counted.
    static let listed = 5

    /// Every warning whose condition holds at `now`, from the breaker's states and the store's figures; `token` (the
    /// bot's) and anything shaped like an OpenAlgo key are masked in the error texts quoted.
    static func current(breaker: CircuitBreaker, store: BotStore, now: Date, token: String = "") async throws -> [OperationalWarning] {
        var warnings: [OperationalWarning] = []
        // One warning for every open host, however many: each user's own OpenAlgo may be down, and admins must not
        // get a message per host per hour.
        let open = await breaker.openHosts().filter { now.timeIntervalSince($0.since) > breakerGrace }
        if open.count == 1, let (host, since) = open.first {
            let minutes = Int(now.timeIntervalSince(since) / 60)
            warnings.append(OperationalWarning(key: "breaker", text: "Warning: broker \(host) has been unreachable for "
                + "\(minutes) min (breaker open). Check OpenAlgo is running and reachable; see RUNBOOK.md."))
        } else if !open.isEmpty {
            let named = open.prefix(listed).map { "\($0.host) (\(Int(now.timeIntervalSince($0.since) / 60)) min)" }
            warnings.append(OperationalWarning(key: "breaker", text: "Warning: \(open.count) brokers have been unreachable for "
                + "over 5 min (breaker open): \(named.joined(separator: ", "))\(more(open.count)). "
                + "Check OpenAlgo is running and reachable; see RUNBOOK.md."))
        }
        let commands = try await store.commandOutcomes(since: now.addingTimeInterval(-errorWindow))
        if commands.total >= minimumSample, Double(commands.failed) > errorRate * Double(commands.total) {
            let percent = Int((Double(commands.failed) * 100 / Double(commands.total)).rounded())
            warnings.append(OperationalWarning(key: "error_rate", text: "Warning: \(commands.failed) of \(commands.total) commands "
                + "(\(percent) %) failed in the last 15 min. Look up their error ids in the log; see RUNBOOK.md."))
        }
        let depth = try await store.outboxCount()
        if depth > outboxBacklog {
            warnings.append(OperationalWarning(key: "outbox", text: "Warning: \(depth) messages are waiting in the outbox. "
                + "Check the bot reaches api.telegram.org and is not rate-limited; see RUNBOOK.md."))
        }
        let failing = try await store.failingJobs(atLeast: jobFailures)
        if failing.count == 1, let job = failing.first {
            let reason = masked(job.lastError ?? "no error recorded", token: token).prefix(200)
            warnings.append(OperationalWarning(key: "jobs", text: "Warning: job \(job.kind) (\(job.key)) "
                + "failed \(job.failures) times in a row, last: \(reason). Check the log; see RUNBOOK.md."))
        } else if !failing.isEmpty {
            let named = failing.prefix(listed).map { "\($0.kind) (\($0.key)) \($0.failures) times" }
            warnings.append(OperationalWarning(key: "jobs", text: "Warning: \(failing.count) jobs are failing repeatedly: "
                + "\(named.joined(separator: ", "))\(more(failing.count)). Check the log; see RUNBOOK.md."))
        }
        return warnings
    }

    /// ", and 3 more" past the `listed` named ones.
    private static func more(_ count: Int) -> String {
        count > listed ? ", and \(count - listed) more" : ""
    }

    /// `text` without the bot's token or an OpenAlgo key: a broker may echo the request it refused, key and all, and
    /// the warning goes out through Telegram.
    static func masked(_ text: String, token: String) -> String {
        var text = KeyRedaction(key: nil)(text)
        if token.count >= 8 { text = text.replacingOccurrences(of: token, with: "[bot token]") }
        // Any other bot token (digits, a colon, 35 URL-safe characters), e.g. in a URL an error quotes.
        return text.replacingOccurrences(of: "[0-9]{5,}:[A-Za-z0-9_-]{30,}", with: "[bot token]", options: .regularExpression)
    }
}
