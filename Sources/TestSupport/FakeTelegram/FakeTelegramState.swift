import BotKit
import Foundation

/// The fake's memory: queued updates, long polls, what was sent, flood buckets, injected failures.
actor FakeTelegramState {
    /// A status and an encoded JSON body.
    struct Reply: Sendable {
        var status: Int
        var body: Data

        init(status: Int, body: Data) {
            self.status = status
            self.body = body
        }

        init(status: Int, object: [String: Any]) {
            self.init(status: status, body: FakeJSON.data(object) ?? Data())
        }

        static func ok(_ result: Any) -> Reply {
            Reply(status: 200, body: FakeJSON.data(["ok": true, "result": result] as [String: Any]) ?? Data())
        }
    }

    private var updates: [(id: Int64, body: Data)] = []
    private var nextUpdateID: Int64 = 1000
    private var nextMessageID: Int64 = 1
    private(set) var pushedAt: [Int64: ContinuousClock.Instant] = [:]
    private(set) var sent: [SentCall] = []
    private var sentWaiters: [(predicate: @Sendable ([SentCall]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    private var poll: (id: UUID, continuation: CheckedContinuation<Bool, Never>)?
    private(set) var getUpdatesCalls = 0
    private(set) var confirmedBelow: Int64 = 0
    private var webhookURL: String?
    private var failures: [String: [InjectedFailure]] = [:]
    private var blocked: Set<Int64> = []
    private var migrated: [Int64: Int64] = [:]
    private var messageTexts: [String: String] = [:]
    private(set) var commands: [String] = []
    let floodLimits: Bool
    private var globalBucket: TokenBucket
    private var chatBuckets: [Int64: TokenBucket] = [:]
    private(set) var rejectedForFlood = 0
    /// Random faults, retry_after promises and per-chat messages (FakeTelegramChaos.swift).
    var chaos = TelegramChaos()

    init(floodLimits: Bool) {
        self.floodLimits = floodLimits
        // A little more lenient than the bot's own limiter: Telegram's limits are "about".
        globalBucket = TokenBucket(capacity: 40, ratePerSecond: 32)
    }

    // MARK: Scripting

    func allocateUpdateID() -> Int64 {
        defer { nextUpdateID += 1 }
        return nextUpdateID
    }

    /// Gives `template` the next update id in place of `placeholder` and queues it, in one step: with the id taken in
    /// one call and queued in another, concurrent senders could queue 5 after the bot confirmed 6, and 5 would be lost.
    func enqueueNew(_ template: String, placeholder: String) -> Int64 {
        let id = allocateUpdateID()
        enqueue(id: id, body: Data(template.replacingOccurrences(of: placeholder, with: String(id)).utf8))
        return id
    }

    /// Queues an encoded update, kept in id order.
    func enqueue(id: Int64, body: Data) {
        let position = updates.lastIndex { $0.id < id }.map { $0 + 1 } ?? 0
        updates.insert((id, body), at: position)
        pushedAt[id] = .now
        wakePolls()
    }

    func inject(_ failure: InjectedFailure, for method: String, times: Int) {
        failures[method, default: []].append(contentsOf: Array(repeating: failure, count: times))
    }

    func pendingFailures(for method: String) -> Int { failures[method]?.count ?? 0 }

    func block(_ chatID: Int64) { blocked.insert(chatID) }
    func migrate(_ chatID: Int64, to newID: Int64) { migrated[chatID] = newID }
    func setWebhook(_ url: String?) { webhookURL = url }
    var pendingUpdates: Int { updates.count }
    func allSent() -> [SentCall] { sent }

    func waitForSent(_ predicate: @escaping @Sendable ([SentCall]) -> Bool) async {
        if predicate(sent) { return }
        await withCheckedContinuation { sentWaiters.append((predicate, $0)) }
    }

    /// Releases a waiter that timed out.
    func releaseSentWaiters() {
        let waiters = sentWaiters
        sentWaiters.removeAll()
        for waiter in waiters { waiter.continuation.resume() }
    }

    // MARK: API

    func nextFailure(for method: String) -> InjectedFailure? {
        guard var queue = failures[method], !queue.isEmpty else { return nil }
        let failure = queue.removeFirst()
        failures[method] = queue
        return failure
    }

    func record(_ call: SentCall) {
        sent.append(call)
        if call.method == "sendMessage" || call.method == "editMessageText", let chatID = call.chatID { recordInChat(call, chatID: chatID) }
        var waiting: [(predicate: @Sendable ([SentCall]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in sentWaiters {
            if waiter.predicate(sent) { waiter.continuation.resume() } else { waiting.append(waiter) }
        }
        sentWaiters = waiting
    }

    /// getUpdates: confirms below `offset`, answers at once when updates wait, else holds up to `timeout`.
    func getUpdates(offset: Int64, limit: Int, timeout: Int) async -> Reply {
        getUpdatesCalls += 1
        if webhookURL != nil {
            return Self.error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        }
        if offset > 0 {
            confirmedBelow = max(confirmedBelow, offset)
            updates.removeAll { $0.id < offset }
        }
        // A new long poll ends the one still waiting, as Telegram does with two instances.
        if let previous = poll {
            poll = nil
            previous.continuation.resume(returning: false)
        }
        if updates.isEmpty, timeout > 0 {
            let id = UUID()
            let timer = Task {
                try? await Task.sleep(for: .seconds(timeout))
                self.expirePoll(id)
            }
            let stillOwner = await withCheckedContinuation { poll = (id, $0) }
            timer.cancel()
            guard stillOwner else {
                return Self.error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            }
        }
        let batch = updates.prefix(max(1, min(100, limit)))
        let joined = "[" + batch.map { String(decoding: $0.body, as: UTF8.self) }.joined(separator: ",") + "]"
        return Reply(status: 200, body: Data("{\"ok\":true,\"result\":\(joined)}".utf8))
    }

    private func expirePoll(_ id: UUID) {
        guard let current = poll, current.id == id else { return }
        poll = nil
        current.continuation.resume(returning: true)
    }

    /// Ends a waiting long poll (the fake is stopping).
    func endPolls() { wakePolls() }

    private func wakePolls() {
        if let current = poll {
            poll = nil
            current.continuation.resume(returning: true)
        }
    }

    /// The checks Telegram makes before sending to a chat: blocked, migrated, flood limits.
    func admitToChat(_ chatID: Int64) -> Reply? {
        if blocked.contains(chatID) { return Self.error(403, "Forbidden: bot was blocked by the user") }
        if let newID = migrated[chatID] {
            return Reply(status: 400, object: [
                "ok": false, "error_code": 400, "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": ["migrate_to_chat_id": newID],
            ])
        }
        guard floodLimits else { return nil }
        if let wait = globalBucket.take() { return Self.tooManyRequests(wait) }
        var bucket = chatBuckets[chatID]
            ?? (chatID < 0 ? TokenBucket(capacity: 4, ratePerSecond: 20.0 / 60) : TokenBucket(capacity: 4, ratePerSecond: 1))
        let wait = bucket.take()
        chatBuckets[chatID] = bucket
        if let wait { return Self.tooManyRequests(wait) }
        return nil
    }

    private static func tooManyRequests(_ wait: Duration) -> Reply {
        let seconds = max(1, Int(wait.components.seconds) + 1)
        return Reply(status: 429, object: [
            "ok": false, "error_code": 429, "description": "Too Many Requests: retry after \(seconds)",
            "parameters": ["retry_after": seconds],
        ])
    }

    func countFloodRejection() { rejectedForFlood += 1 }

    func newMessage(chatID: Int64, text: String?) -> Reply {
        let id = nextMessageID
        nextMessageID += 1
        if let text { messageTexts["\(chatID)/\(id)"] = text }
        if let text { chaos.messageIDs[chatID, default: []].append((id, text)) }
        var message: [String: Any] = [
            "message_id": id, "date": Int(Date().timeIntervalSince1970),
            "chat": ["id": chatID, "type": chatID < 0 ? "group" : "private"],
        ]
        if let text { message["text"] = text }
        return .ok(message)
    }

    /// editMessageText: "message is not modified" when the text is the same.
    func edit(chatID: Int64, messageID: Int64, text: String) -> Reply {
        let key = "\(chatID)/\(messageID)"
        guard let old = messageTexts[key] else { return Self.error(400, "Bad Request: message to edit not found") }
        if old == text {
            return Self.error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
        }
        messageTexts[key] = text
        return newMessage(chatID: chatID, text: text)
    }

    func setCommands(_ names: [String]) { commands = names }

    /// The id of the newest message the bot sent.
    var lastMessageID: Int64 { nextMessageID - 1 }

    static func error(_ status: Int, _ description: String) -> Reply {
        Reply(status: status, object: ["ok": false, "error_code": status, "description": description])
    }
}
