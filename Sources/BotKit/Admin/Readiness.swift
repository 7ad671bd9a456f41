import Foundation

/// One named condition of readiness: nil while it holds, else what is wrong, in words an operator can act on.
public struct ReadinessCheck: Sendable {
    public var name: String
    public var failure: @Sendable () async -> String?

    public init(_ name: String, failure: @escaping @Sendable () async -> String?) {
        self.name = name
        self.failure = failure
    }
}

/// The outcome of every check, as `/readyz` shows it.
public struct ReadinessReport: Sendable, Encodable {
    public struct Entry: Sendable, Encodable {
        public var name: String
        public var ok: Bool
        public var detail: String?
    }

    public var ready: Bool
    public var checks: [Entry]

    /// The report as JSON, for `/readyz`.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data("{\"ready\":false}".utf8)
    }
}

/// The bot's readiness test: the same for `/readyz` and for the systemd watchdog, so whatever makes one fail
/// stops the other.
public struct Readiness: Sendable {
    public var checks: [ReadinessCheck]

    public init(_ checks: [ReadinessCheck]) { self.checks = checks }

    /// Runs every check (all of them, so the report names every failure).
    public func evaluate() async -> ReadinessReport {
        var entries: [ReadinessReport.Entry] = []
        for check in checks {
            let failure = await check.failure()
            entries.append(.init(name: check.name, ok: failure == nil, detail: failure))
        }
        return ReadinessReport(ready: entries.allSatisfy(\.ok), checks: entries)
    }

    /// The engine's checks: getUpdates answered within `2 × pollTimeout`, the database takes a write, and the
    /// outbox's oldest row is younger than `outboxStuckAfter`. `now` and `wallNow` are the clocks (tests inject them).
    public static func engine(store: BotStore, lastGetUpdates: @escaping @Sendable () async -> ContinuousClock.Instant,
                              pollTimeout: Int, outboxStuckAfter: Duration,
                              now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                              wallNow: @escaping @Sendable () -> Date = { Date() }) -> [ReadinessCheck] {
        let pollLimit = Duration.seconds(2 * max(1, pollTimeout))
        return [
            ReadinessCheck("getupdates") {
                let age = await lastGetUpdates().duration(to: now())
                guard age >= pollLimit else { return nil }
                return "no successful getUpdates for \(age.wholeSeconds) s (limit \(pollLimit.wholeSeconds) s)"
            },
            ReadinessCheck("database") {
                do {
                    try await store.probeWrite(now: wallNow())
                    return nil
                } catch {
                    return "the database cannot be written: \(error)"
                }
            },
            ReadinessCheck("outbox") {
                do {
                    let backlog = try await store.outboxBacklog(now: wallNow())
                    guard backlog.oldestAge >= Double(outboxStuckAfter.wholeSeconds) else { return nil }
                    return "the oldest of \(backlog.depth) outbox rows has waited \(Int(backlog.oldestAge)) s"
                } catch {
                    return "the outbox cannot be read: \(error)"
                }
            },
        ]
    }
}

extension Duration {
    /// Whole seconds, rounded down.
    var wholeSeconds: Int64 { components.seconds }
}
