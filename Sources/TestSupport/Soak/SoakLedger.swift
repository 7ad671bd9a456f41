import Foundation

/// What the soak's users did, as they saw it: the ground truth the bot's records are checked against.
actor SoakLedger {
    private(set) var pushed = 0
    private(set) var kinds: [String: Int] = [:]
    /// Probe texts sent ("/help uN"), whose reply names N and so is unique.
    private(set) var probes: [Int] = []
    private var nextProbe = 0
    /// Previews whose Confirm was pressed, by the message they were on (chat/message): one intent each.
    private(set) var confirmed: Set<String> = []
    private(set) var doubleTaps = 0
    /// Chats that sent /alert; the ids armed are read from their messages at the end (`SoakReport.announcedAlerts`).
    private(set) var alertChats: Set<Int64> = []
    /// Steps whose reply never came within the step's limit.
    private(set) var unanswered: [String: Int] = [:]
    private(set) var brokerFaults: [String: Int] = [:]
    private var nextQuantity = 0

    func count(_ kind: String, updates: Int = 1) {
        pushed += updates
        kinds[kind, default: 0] += updates
    }

    func newProbe() -> Int {
        nextProbe += 1
        probes.append(nextProbe)
        return nextProbe
    }

    /// A quantity no other order of the soak uses, so the reconciler's match after a timeout is unambiguous.
    func newQuantity() -> Int {
        nextQuantity += 1
        return nextQuantity
    }

    func pressed(_ key: String, twice: Bool) {
        confirmed.insert(key)
        if twice { doubleTaps += 1 }
    }

    func sentAlert(in chat: Int64) { alertChats.insert(chat) }
    func missed(_ step: String) { unanswered[step, default: 0] += 1 }
    func brokerFault(_ name: String) { brokerFaults[name, default: 0] += 1 }
}
