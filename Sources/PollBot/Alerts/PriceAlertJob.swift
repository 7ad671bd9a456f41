import BotKit
import Foundation
import Logging

/// Checks every armed price alert: one job for all hosts, grouping the alerts by host itself, so alerts on a host no
/// one alerted on before need no job of their own and one failing host never holds back the others' alerts.
///
/// Each host gets one multiquotes call per cycle for all its symbols (in chunks of `symbolsPerCall`); an alert whose
/// price is met is marked fired in the run's commit together with its message, so a crash never loses or repeats it.
/// A cycle reads only each instrument's nearest levels (`AlertWatch`), and the rows of alerts only where a price met one:
/// 20,000 alerts cost one scan of an index when nothing fires.
enum PriceAlertJob: JobKind {
    typealias Services = TraderServices

    /// No state between runs: a `crosses` alert knows its side from its arming price.
    struct Parameters: Codable, Sendable, Equatable {}

    static let name = "price_alerts"
    /// The one job's key.
    static let key = "all"
    /// The window `[alerts] market_hours_only` limits checks to.
    static let window = "market_hours"
    /// OpenAlgo documents no cap on a multiquotes list; this bounds one request's size all the same.
    static let symbolsPerCall = 500

    /// The schedule `settings` ask for.
    static func schedule(_ settings: AlertSettings) -> JobSchedule {
        let every = JobSchedule.every(seconds: settings.checkInterval)
        return settings.marketHoursOnly ? .within(window: window, every) : every
    }

    /// Schedules the check unless it is already scheduled as `settings` ask (a restart keeps its row and next time).
    static func ensureScheduled(in store: BotStore, settings: AlertSettings, now: Date = Date()) async throws {
        try await store.ensureJob(Self.self, key: key, parameters: Parameters(), schedule: schedule(settings), now: now)
    }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        let services = context.services
        let hosts = try await services.store.alertWatches()
        guard !hosts.isEmpty else { return JobResult() }
        let checks = await withTaskGroup(of: HostCheck.self) { group in
            for (host, watches) in hosts {
                group.addTask { await check(host: host, watches: watches, hub: services.trading, logger: context.logger) }
            }
            var all: [HostCheck] = []
            for await check in group { all.append(check) }
            return all
        }
        let fired = checks.flatMap(\.fired).sorted { $0.alert.id < $1.alert.id }
        // Every host failing is a failing job (counted, backed off, reported to admins); some failing is a partial cycle.
        if fired.isEmpty, let failure = checks.compactMap(\.failure).first, checks.allSatisfy({ $0.failure != nil }) {
            throw JobFailure(failure)
        }
        guard !fired.isEmpty else { return JobResult() }
        let format = AlertText.format(services.config)
        let now = context.now
        let clock = format.clock(now)
        // Each owner's price-alert level decides how the message goes; an alert of a user who turned them off still fires.
        let messages = fired.flatMap { hit in
            hit.level.apply(to: [
                OutgoingMessage.text(AlertText.fired(hit.alert, price: hit.price, clock: clock, format: format), to: hit.alert.chatID,
                                     keyboard: AlertButtons.firedKeyboard(hit.alert.id, owner: hit.alert.userID)),
            ])
        }
        let marks = fired.map { (id: $0.alert.id, price: $0.price) }
        return JobResult(messages: messages, storeWork: { store in try store.markAlertsFired(marks, at: now) })
    }

    /// One host's part of a cycle: the alerts its prices met, or why it could not be asked.
    struct HostCheck: Sendable {
        var fired: [MetAlert] = []
        var failure: String?
    }

    private static func check(host: String, watches: [AlertWatch], hub: TradingHub, logger: Logger) async -> HostCheck {
        do {
            guard let broker = try await AlertBrokers.anyBroker(host: host, hub: hub) else {
                return HostCheck(failure: "no usable linked account on \(host)")
            }
            // Grouped, not keyed: two spellings SQLite tells apart may be one Swift string, and each keeps its alerts.
            var byInstrument = Dictionary(grouping: watches, by: \.instrument)
            var asked = Set<Instrument>()
            let instruments = watches.map(\.instrument).filter { asked.insert($0).inserted }
            var met: [(instrument: Instrument, price: Double)] = []
            for start in stride(from: 0, to: instruments.count, by: symbolsPerCall) {
                let chunk = Array(instruments[start..<min(start + symbolsPerCall, instruments.count)])
                for quote in try await broker.quotes(chunk) {
                    // A symbol without a quote (or with a zero or absurd one) waits for the next cycle; it never fires.
                    guard case .success(let value) = quote.outcome, value.ltp.isFinite, value.ltp > 0 else { continue }
                    // A symbol the broker listed twice must not fire its alerts twice.
                    for watch in byInstrument.removeValue(forKey: quote.instrument) ?? [] where watch.isMet(by: value.ltp) {
                        met.append((watch.instrument, value.ltp))
                    }
                }
            }
            // Only the instruments whose price met a level cost a read of their alerts.
            guard !met.isEmpty else { return HostCheck() }
            return HostCheck(fired: try await hub.store.metAlerts(host: host, prices: met))
        } catch {
            logger.warning("price alerts not checked on a host", metadata: ["host": "\(host)", "error": "\(error)"])
            return HostCheck(failure: "\(host): \(error)")
        }
    }
}
