import BotKit
import Foundation

/// One thing wrong with the running bot that an admin should hear about: a stable key (one per host or job where it
/// applies, so each is rate-limited on its own) and one line saying what is wrong and what to do.
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

    /// Every warning whose condition holds at `now`, from the breaker's states and the store's figures.
    static func current(breaker: CircuitBreaker, store: BotStore, now: Date) async throws -> [OperationalWarning] {
        var warnings: [OperationalWarning] = []
        for (host, since) in await breaker.openHosts() where now.timeIntervalSince(since) > breakerGrace {
            let minutes = Int(now.timeIntervalSince(since) / 60)
            warnings.append(OperationalWarning(key: "breaker:\(host)", text: "Warning: broker \(host) has been unreachable for "
                + "\(minutes) min (breaker open). Check OpenAlgo is running and reachable; see RUNBOOK.md."))
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
        for job in try await store.failingJobs(atLeast: jobFailures) {
            let reason = (job.lastError ?? "no error recorded").prefix(200)
            warnings.append(OperationalWarning(key: "job:\(job.kind):\(job.key)", text: "Warning: job \(job.kind) (\(job.key)) "
                + "failed \(job.failures) times in a row, last: \(reason). Check the log; see RUNBOOK.md."))
        }
        return warnings
    }
}
