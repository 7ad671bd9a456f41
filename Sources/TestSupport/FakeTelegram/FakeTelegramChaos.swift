import Foundation

/// Random faults on a share of calls, the `retry_after` promises the fake made, and the messages sent per chat:
/// what the chaos soak needs from the fake beyond scripted failures.
struct TelegramChaos: Sendable {
    /// Share of calls (0...1) that meet a random fault.
    var rate = 0.0
    /// How long a "timeout" stalls: past the bot's request limit, so the bot gives up while the fake still answers.
    var timeoutStall: Duration = .seconds(35)
    var generator = SplitMix64(seed: 1)
    /// Faults injected at random, by kind name.
    var injected: [String: Int] = [:]
    /// Per chat: the moment before which a send breaks a `retry_after` the fake gave.
    var retryDeadlines: [Int64: ContinuousClock.Instant] = [:]
    /// Counts `forgetRetryDeadlines` calls: a request whose handling began before the last one came from a dead process.
    var processGeneration = 0
    /// 429s answered with retry_after, and sends that came before their chat's deadline.
    var retryAfterGiven = 0
    var earlyRetries = 0
    /// sendMessage and editMessageText calls recorded, per chat.
    var byChat: [Int64: [SentCall]] = [:]
    /// Per chat: the id and visible text of every message the fake created, so a press can name the message it is on.
    var messageIDs: [Int64: [(id: Int64, text: String)]] = [:]
    var chatWaiters: [Int64: [(after: Int, continuation: CheckedContinuation<Void, Never>)]] = [:]

    /// A fault for this call, or nil; only the calls the soak exercises are touched (never getMe or setMyCommands,
    /// whose failure would only stop a start).
    mutating func randomFault(for method: String) -> InjectedFailure? {
        guard rate > 0, ["getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery"].contains(method),
              generator.nextUnit() < rate else { return nil }
        let roll = generator.nextUnit()
        let (name, kind): (String, InjectedFailure.Kind) = switch roll {
        case ..<0.25: ("500", .error(status: 500, description: "Internal Server Error", retryAfter: nil))
        case ..<0.45: ("502", .error(status: 502, description: "Bad Gateway", retryAfter: nil))
        case ..<0.75: ("dropped connection", .dropConnection)
        case ..<0.97: ("slow answer", .stall(.milliseconds(200 + Int(generator.nextUnit() * 1800))))
        default: ("timeout", .stall(timeoutStall))
        }
        injected[name, default: 0] += 1
        return InjectedFailure(kind)
    }
}

/// A small seeded generator, so a soak's faults repeat with its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    public mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension FakeTelegramState {
    func setChaos(rate: Double, seed: UInt64, timeoutStall: Duration) {
        chaos.rate = rate
        chaos.generator = SplitMix64(seed: seed)
        chaos.timeoutStall = timeoutStall
    }

    func randomFault(for method: String) -> InjectedFailure? { chaos.randomFault(for: method) }

    /// A 429 with `seconds` went to `chatID`: a send to it before then is an early retry. `generation` is the one the
    /// request began in (`checkRetryAfter`): a 429 answered to a request of a process killed since binds no one, as the
    /// new process never heard it (one "early retry" in a loaded run: the dead process's last request was handled after
    /// the promises had been forgotten).
    func promisedRetryAfter(_ seconds: Int, chatID: Int64?, generation: Int? = nil) {
        chaos.retryAfterGiven += 1
        guard let chatID, generation.map({ $0 == chaos.processGeneration }) ?? true else { return }
        chaos.retryDeadlines[chatID] = .now + .seconds(seconds)
    }

    /// Counts a send that broke its chat's `retry_after`; returns the process generation the request began in.
    func checkRetryAfter(chatID: Int64?) -> Int {
        guard let chatID, let deadline = chaos.retryDeadlines[chatID] else { return chaos.processGeneration }
        if ContinuousClock.now < deadline { chaos.earlyRetries += 1 } else { chaos.retryDeadlines[chatID] = nil }
        return chaos.processGeneration
    }

    /// The bot process died: the promises it heard died with it, and a new process cannot break them.
    func forgetRetryDeadlines() {
        chaos.retryDeadlines.removeAll()
        chaos.processGeneration += 1
    }

    func recordInChat(_ call: SentCall, chatID: Int64) {
        chaos.byChat[chatID, default: []].append(call)
        let count = chaos.byChat[chatID]?.count ?? 0
        var waiting: [(after: Int, continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in chaos.chatWaiters[chatID] ?? [] {
            if count > waiter.after { waiter.continuation.resume() } else { waiting.append(waiter) }
        }
        chaos.chatWaiters[chatID] = waiting
    }

    func chatMessages(_ chatID: Int64) -> [SentCall] { chaos.byChat[chatID] ?? [] }

    func newestMessageID(in chatID: Int64, containing marker: String) -> Int64? {
        chaos.messageIDs[chatID]?.last { $0.text.contains(marker) }?.id
    }

    /// Returns once the chat holds more than `count` messages, or when released.
    func waitForChat(_ chatID: Int64, moreThan count: Int) async {
        if chaos.byChat[chatID]?.count ?? 0 > count { return }
        await withCheckedContinuation { chaos.chatWaiters[chatID, default: []].append((count, $0)) }
    }

    func releaseChatWaiters(_ chatID: Int64) {
        let waiters = chaos.chatWaiters[chatID] ?? []
        chaos.chatWaiters[chatID] = nil
        for waiter in waiters { waiter.continuation.resume() }
    }

    var chaosFigures: TelegramChaosFigures {
        TelegramChaosFigures(injected: chaos.injected, retryAfterGiven: chaos.retryAfterGiven, earlyRetries: chaos.earlyRetries)
    }
}

/// What the fake did and saw under chaos.
public struct TelegramChaosFigures: Sendable {
    /// Random faults injected, by kind.
    public var injected: [String: Int]
    /// 429 answers that carried retry_after (scripted, random or flood limits).
    public var retryAfterGiven: Int
    /// Sends to a chat before the retry_after it was given had passed.
    public var earlyRetries: Int
}

extension FakeTelegram {
    /// From now on a `rate` share of getUpdates, sendMessage, editMessageText and answerCallbackQuery calls meet a random
    /// fault (5xx, a dropped connection, a slow answer, or a stall of `timeoutStall`), drawn from `seed`.
    public func setChaos(rate: Double, seed: UInt64, timeoutStall: Duration = .seconds(35)) async {
        await state.setChaos(rate: rate, seed: seed, timeoutStall: timeoutStall)
    }

    /// The faults injected at random, the 429s given and the sends that came before their retry_after.
    public var chaosFigures: TelegramChaosFigures { get async { await state.chaosFigures } }

    /// The bot process was killed: retry_after promises given to it no longer bind the next one.
    public func forgetRetryDeadlines() async { await state.forgetRetryDeadlines() }

    /// The sendMessage and editMessageText calls to `chatID` the fake accepted, in order.
    public func messages(in chatID: Int64) async -> [SentCall] { await state.chatMessages(chatID) }

    /// The id of the newest message in `chatID` whose visible text contains `marker`.
    public func messageID(in chatID: Int64, containing marker: String) async -> Int64? {
        await state.newestMessageID(in: chatID, containing: marker)
    }

    /// Waits until `chatID` has more than `count` accepted messages or `timeout` passes; returns its messages.
    @discardableResult
    public func waitForMessages(in chatID: Int64, moreThan count: Int, timeout: Duration) async -> [SentCall] {
        let state = self.state
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await state.releaseChatWaiters(chatID)
        }
        await state.waitForChat(chatID, moreThan: count)
        timer.cancel()
        return await state.chatMessages(chatID)
    }
}
