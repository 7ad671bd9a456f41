import BotKit
import Foundation

/// Every minute, tells each admin (`[security] admins`, in their private chat) what is wrong with the running bot:
/// a broker breaker open over 5 minutes, over 5 % of commands failing, an outbox backlog, a job failing repeatedly.
/// Each warning goes at most once an hour; when it was last sent is kept in the job's parameters, committed with the
/// messages, so a restart neither repeats nor loses one.
enum OperationalWarningJob: JobKind {
    typealias Services = TraderServices

    struct Parameters: Codable, Sendable, Equatable {
        /// When each warning's key was last sent.
        var lastSent: [String: Date] = [:]
    }

    static let name = "operational_warnings"
    static let key = "admins"
    static let interval = 60
    /// A warning is repeated at most this often while its condition holds.
    static let quietPeriod: TimeInterval = 3600

    /// Schedules the check unless it is already scheduled (a restart keeps its row and what it sent).
    static func ensureScheduled(in store: BotStore, now: Date = Date()) async throws {
        try await store.ensureJob(Self.self, key: key, parameters: Parameters(), schedule: .every(seconds: interval), now: now)
    }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        let admins = context.services.config.security.admins
        guard !admins.isEmpty else { return JobResult() }
        let now = context.now
        let warnings = try await OperationalWarning.current(breaker: context.services.trading.breaker, store: context.services.store,
                                                            now: now, token: context.services.config.telegram.token)
        // Keys past their quiet hour are forgotten, so the record stays as small as the set of live problems.
        var next = Parameters(lastSent: parameters.lastSent.filter { now.timeIntervalSince($0.value) < quietPeriod })
        var messages: [OutgoingMessage] = []
        for warning in warnings where next.lastSent[warning.key] == nil {
            next.lastSent[warning.key] = now
            messages += admins.map { OutgoingMessage.text(HTML.escape(warning.text), to: $0) }
        }
        return JobResult(messages: messages, parameters: next == parameters ? nil : next)
    }
}
