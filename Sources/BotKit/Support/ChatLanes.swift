/// Per-chat queues worked in order within a chat, concurrently across chats, at most `limit` chats at once.
///
/// One lane per chat with queued items; a chat is `running` from `start` to
/// `finish` and never runs twice at once, so its items go one after another.
/// Chats take turns through one ready queue. A `hold` keeps a chat from
/// starting (a flood-limit wait) until `unhold`. The ready queue is checked
/// lazily: an entry whose chat is running, held or empty is skipped, so no
/// extra set tracks what is queued there. A chat holding only items `isBulk` calls bulk waits in a second ready
/// queue, taken only when the first is empty: a reply (even to a chat with an announcement ahead of it in its own
/// lane) never waits behind thousands of chats of one announcement.
struct ChatLanes<Item> {
    private var lanes: [Int64: FIFO<Item>] = [:]
    private var ready = FIFO<Int64>()
    private var bulkReady = FIFO<Int64>()
    private let isBulk: (Item) -> Bool
    /// How many items that are not bulk each chat's lane holds; a chat with any takes its turn in the first queue.
    private var urgent: [Int64: Int] = [:]
    private var running: Set<Int64> = []
    private var held: Set<Int64> = []
    private let limit: Int
    /// Items in all lanes (a running chat's head stays counted until it is popped).
    private(set) var count = 0

    /// Lanes of which at most `limit` run at once; chats whose head `isBulk` take their turn after all others.
    init(limit: Int, isBulk: @escaping (Item) -> Bool = { _ in false }) {
        self.limit = limit
        self.isBulk = isBulk
    }

    /// Puts `chat` in the first ready queue when its lane holds anything but bulk, else in the bulk one.
    private mutating func makeReady(_ chat: Int64) {
        guard lanes[chat] != nil else { return }
        if urgent[chat, default: 0] > 0 { ready.append(chat) } else { bulkReady.append(chat) }
    }

    /// Chats between `start` and `finish`.
    var runningCount: Int { running.count }

    /// True when no lane holds an item.
    var isEmpty: Bool { count == 0 }

    /// Queues `item` at the end of `chat`'s lane; an idle chat takes its turn in the ready queue.
    mutating func append(_ item: Item, to chat: Int64) {
        let wasEmpty = lanes[chat] == nil
        lanes[chat, default: FIFO()].append(item)
        count += 1
        let promoted = !isBulk(item) && urgent[chat, default: 0] == 0
        if !isBulk(item) { urgent[chat, default: 0] += 1 }
        // A chat waiting in the bulk queue moves up once it holds a reply (a stale bulk entry is skipped later).
        if wasEmpty || promoted, !running.contains(chat), !held.contains(chat) { makeReady(chat) }
    }

    /// The next chat whose turn it is and its first item, or nil when none may start (none ready, or `limit` running).
    /// The chat stays first in turn until `start` or `hold`.
    mutating func next() -> (chat: Int64, head: Item)? {
        guard running.count < limit else { return nil }
        return first(bulk: false) ?? first(bulk: true)
    }

    /// The first chat of a ready queue that may start, with its head; entries that may not (stale ones) are dropped.
    private mutating func first(bulk: Bool) -> (chat: Int64, head: Item)? {
        while let chat = bulk ? bulkReady.first : ready.first {
            if !running.contains(chat), !held.contains(chat), let head = lanes[chat]?.first { return (chat, head) }
            _ = bulk ? bulkReady.popFirst() : ready.popFirst()
        }
        return nil
    }

    /// Marks the chat `next` returned as running; its head stays in the lane until `popHead`.
    mutating func start(_ chat: Int64) {
        if ready.first == chat { _ = ready.popFirst() } else if bulkReady.first == chat { _ = bulkReady.popFirst() }
        running.insert(chat)
    }

    /// `next`, `start` and `popHead` at once: the item leaves its lane as its chat starts.
    mutating func takeNext() -> (chat: Int64, item: Item)? {
        guard let (chat, head) = next() else { return nil }
        start(chat)
        popHead(of: chat)
        return (chat, head)
    }

    /// The chat's run ended; its next item, if any, takes its turn.
    mutating func finish(_ chat: Int64) {
        running.remove(chat)
        if lanes[chat] != nil, !held.contains(chat) { makeReady(chat) }
    }

    /// Keeps the chat from starting until `unhold`, whether it is waiting for its turn or running.
    mutating func hold(_ chat: Int64) {
        held.insert(chat)
    }

    /// The chat may start again.
    mutating func unhold(_ chat: Int64) {
        guard held.remove(chat) != nil else { return }
        if lanes[chat] != nil, !running.contains(chat) { makeReady(chat) }
    }

    /// Removes the first item of the chat's lane (done with it).
    mutating func popHead(of chat: Int64) {
        guard let item = lanes[chat]?.popFirst() else { return }
        count -= 1
        if !isBulk(item), let left = urgent[chat] { urgent[chat] = left > 1 ? left - 1 : nil }
        if lanes[chat]?.isEmpty == true { lanes[chat] = nil }
    }

    /// Replaces the first item of the chat's lane (a retried or rewritten item).
    mutating func replaceHead(of chat: Int64, with item: Item) {
        lanes[chat]?.replaceFirst(item)
    }

    /// Drops every item of the chat's lane (a chat that moved or is gone).
    mutating func removeLane(_ chat: Int64) {
        guard let lane = lanes.removeValue(forKey: chat) else { return }
        count -= lane.count
        urgent[chat] = nil
    }
}
