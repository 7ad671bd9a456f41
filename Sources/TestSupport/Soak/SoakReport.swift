import BotKit
import Foundation

/// A soak's figures, read from what the users saw, what the fakes counted and the bot's database after its last stop,
/// and the promises that broke (none, for a pass).
public struct SoakReport: Sendable {
    /// Figures by name, in the order they print.
    public var figures: [(name: String, value: String)] = []
    /// Every broken promise, one line each.
    public var violations: [String] = []

    /// The report as the soak prints it.
    public var text: String {
        let width = figures.map(\.name.count).max() ?? 0
        var lines = figures.map { $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.value }
        lines.append(violations.isEmpty ? "PASS: every check held" : "FAIL: \(violations.count) violations")
        lines += violations.map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }

    private mutating func add(_ name: String, _ value: Any) { figures.append((name, "\(value)")) }

    private mutating func require(_ condition: Bool, _ violation: @autoclosure () -> String) {
        if !condition { violations.append(violation()) }
    }

    /// The alert ids the bot announced ("Alert #N armed") in `chats`, per chat.
    static func announcedAlerts(in chats: Set<Int64>, telegram: FakeTelegram) async -> [Int64: Set<Int64>] {
        var armed: [Int64: Set<Int64>] = [:]
        for chat in chats {
            for text in await telegram.messages(in: chat).compactMap(\.visibleText) {
                if let match = text.firstMatch(of: /Alert #(\d+) armed/), let id = Int64(match.1) { armed[chat, default: []].insert(id) }
            }
        }
        return armed
    }

    /// Alert ids armed whose fire message has not reached their chat.
    static func unfiredAlerts(_ armed: [Int64: Set<Int64>], telegram: FakeTelegram) async -> [Int64] {
        var missing: [Int64] = []
        for (chat, ids) in armed {
            let texts = await telegram.messages(in: chat).compactMap(\.visibleText).filter { $0.contains("It fired once") }
            missing += ids.filter { id in !texts.contains { $0.contains("Alert #\(id),") } }
        }
        return missing
    }

    private static func listed(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    static func check(plan: SoakPlan, ledger: SoakLedger, telegram: FakeTelegram, broker: FakeOpenAlgo, directory: TemporaryDirectory,
                      kills: Int, restartTimes: [Duration], restarts: Int, exitStatus: Int32?, elapsed: Duration) async throws -> SoakReport {
        var report = SoakReport()
        let pushed = await ledger.pushed, kinds = await ledger.kinds, brokerFaults = await ledger.brokerFaults
        report.add("updates sent", "\(pushed) from \(plan.users) users (\(listed(kinds)))")
        report.add("kills (SIGKILL + restart)", kills)
        let meanRestart = restartTimes.isEmpty ? Duration.zero : restartTimes.reduce(.zero, +) / restartTimes.count
        report.add("restart, kill to first poll", String(format: "mean %.1f s, longest %.1f s", meanRestart.inSeconds,
                                                             (restartTimes.max() ?? .zero).inSeconds))
        // A kill comes only once the previous restart is up, so slow restarts can leave kills unspent when the stream ends.
        report.require(kills == plan.kills, "only \(kills) of \(plan.kills) kills came during the stream (restarts are slow here: "
                       + "give the stream more time with --seconds)")
        report.add("elapsed", "\(elapsed.components.seconds) s")
        let figures = await telegram.chaosFigures
        report.add("Telegram faults injected", listed(figures.injected))
        report.add("broker faults injected", listed(brokerFaults))
        report.add("429 with retry_after given", figures.retryAfterGiven)
        report.add("early retries (before retry_after)", figures.earlyRetries)
        report.require(figures.earlyRetries == 0, "\(figures.earlyRetries) sends came before the retry_after their chat was given")
        report.require(restarts == 0, "the bot exited by itself \(restarts) times (see its run logs)")
        report.require(exitStatus == 0, "the final SIGTERM ended with \(exitStatus.map(String.init) ?? "no exit") instead of 0")
        let unanswered = await ledger.unanswered
        report.add("steps without an answer in \(plan.stepLimit)", unanswered.isEmpty ? "0" : "\(unanswered)")
        report.require(unanswered.isEmpty, "steps never answered: \(unanswered)")

        // Lost or repeated replies: each probe's reply names the probe, so it must arrive, and may repeat only after a kill.
        let users = (0..<plan.users).map { 7_000_001 + Int64($0) }
        var replies: [String: Int] = [:]
        var worstChatRepeats = 0, repeats = 0
        for chat in users {
            let texts = await telegram.messages(in: chat).filter { $0.method == "sendMessage" }.compactMap(\.visibleText)
            var counts: [String: Int] = [:]
            for text in texts where text.contains("There is no command /u") || text.contains("It fired once") { counts[text, default: 0] += 1 }
            let chatRepeats = counts.values.reduce(0) { $0 + $1 - 1 }
            repeats += chatRepeats
            worstChatRepeats = max(worstChatRepeats, chatRepeats)
            replies.merge(counts) { $0 + $1 }
        }
        let probes = await ledger.probes
        let lostProbes = probes.filter { probe in !replies.keys.contains { $0.contains("no command /u\(probe).") } }
        report.add("probe replies lost", "\(lostProbes.count) of \(probes.count)")
        report.require(lostProbes.isEmpty, "\(lostProbes.count) probes never answered, e.g. /help u\(lostProbes.first ?? 0)")
        report.add("unique replies repeated", "\(repeats) (most in one chat: \(worstChatRepeats); bound: one per chat per kill, \(kills))")
        report.require(worstChatRepeats <= kills, "a chat got \(worstChatRepeats) repeated replies, more than the \(kills) kills explain")

        // The bot's own records, read after its last stop.
        let db = try SQLiteDatabase(path: directory.file("pollbot.sqlite3"))
        let integrity = try db.query("PRAGMA integrity_check") { $0.text(0) }.joined(separator: "; ")
        report.add("PRAGMA integrity_check", integrity)
        report.require(integrity == "ok", "integrity_check: \(integrity)")
        let inbox = Dictionary(uniqueKeysWithValues: try db.query("SELECT status, count(*) FROM inbox GROUP BY status") { ($0.int(0), $0.int(1)) })
        let handled = (inbox[1] ?? 0) + (inbox[2] ?? 0), pending = inbox[0] ?? 0, givenUp = inbox.filter { ![0, 1, 2].contains($0.key) }.values.reduce(0, +)
        let outbox = try db.query("SELECT count(*) FROM outbox") { $0.int(0) }.first ?? -1
        report.add("inbox handled / pending / given up", "\(handled) / \(pending) / \(givenUp)")
        report.add("outbox rows left", outbox)
        report.require(handled + givenUp == pushed, "updates lost: \(pushed) sent, \(handled) handled, \(givenUp) given up")
        report.require(pending == 0, "inbox not empty: \(pending) pending")
        // A given-up update is one whose handler was cut twice (README: not run a third time, its user told). The bot never
        // exits by itself here (checked above), so both cuts were the soak's kills, which wait at most `SoakDriver`'s
        // deferral for a second run to end: the promise is that its user was told, and it takes two kills.
        let givenUpRows = try db.query("SELECT chat_id, error_id FROM inbox WHERE status = 3") { ($0.int64(0), $0.text(1)) }
        var untold = 0
        for (chat, errorID) in givenUpRows {
            let notice = "(error id \(errorID)); it was not retried"
            if await !telegram.messages(in: chat).contains(where: { $0.visibleText?.contains(notice) == true }) { untold += 1 }
        }
        report.require(untold == 0, "\(untold) given-up updates whose user was never told")
        report.require(givenUp * 2 <= kills, "\(givenUp) updates given up, more than \(kills) kills can cut twice")
        report.require(outbox == 0, "outbox not empty: \(outbox) rows")

        // Orders: one intent per confirmed preview, and the fake holds exactly the orders the bot counts as placed.
        let states = Dictionary(uniqueKeysWithValues: try db.query("SELECT state, count(*) FROM order_intents GROUP BY state") { ($0.text(0), $0.int(1)) })
        let intents = states.values.reduce(0, +), placed = states["placed"] ?? 0
        let distinctIDs = try db.query("SELECT count(DISTINCT broker_order_id) FROM order_intents WHERE broker_order_id IS NOT NULL") { $0.int(0) }.first ?? 0
        let confirmed = await ledger.confirmed.count, doubleTaps = await ledger.doubleTaps
        let atFake = await broker.placedOrderCount
        report.add("previews confirmed (double taps)", "\(confirmed) (\(doubleTaps))")
        report.add("order intents by state", listed(states))
        report.add("orders at the fake / placed intents", "\(atFake) / \(placed)")
        report.require(intents == confirmed, "\(intents) order intents for \(confirmed) confirmed previews")
        report.require(atFake == placed, "the fake holds \(atFake) orders, the bot counts \(placed) placed")
        report.require(distinctIDs == placed, "\(placed) placed intents share \(distinctIDs) broker order ids")
        let open = (states["sending"] ?? 0) + (states["unknown"] ?? 0)
        report.require(open == 0, "\(open) intents left unresolved")

        // Alerts: one row per /alert the bot answered, each fired once.
        let armed = await announcedAlerts(in: ledger.alertChats, telegram: telegram)
        let armedIDs = Set(armed.values.joined())
        let rows = try db.query("SELECT id, state, user_id, level FROM price_alerts") { ($0.int64(0), $0.text(1), $0.int64(2), $0.double(3)) }
        let doubled = Dictionary(grouping: rows) { "\($0.2)/\($0.3)" }.values.filter { $0.count > 1 }.count
        let fired = rows.filter { $0.1 == "fired" }.count
        let unfired = await unfiredAlerts(armed, telegram: telegram)
        report.add("alerts armed / rows / fired", "\(armedIDs.count) / \(rows.count) / \(fired)")
        report.require(doubled == 0, "\(doubled) alert commands stored two rows (one command armed twice)")
        report.require(rows.count == armedIDs.count, "\(rows.count) alert rows for \(armedIDs.count) alerts the bot announced")
        report.require(fired == rows.count, "\(rows.count - fired) alerts never fired")
        report.require(unfired.isEmpty, "\(unfired.count) announced alerts never had their fire message, e.g. #\(unfired.first ?? 0)")
        let fireMessages = replies.filter { $0.key.contains("It fired once") }
        let firedTwice = fireMessages.values.filter { $0 > 1 }.count
        report.add("alert fire messages repeated", firedTwice)
        return report
    }
}
