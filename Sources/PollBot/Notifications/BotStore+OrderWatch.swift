import BotKit
import Foundation

/// An account whose order book the watch reads: its owner (who wants order notifications) and the linked account, or
/// nil for the owner's paper account when the bot runs the paper broker.
struct OrderWatcher: Sendable {
    var userID: Int64
    var linked: LinkedAccount?

    var account: String { linked?.name ?? "paper" }
    var linkedAt: Date { linked?.linkedAt ?? .distantPast }
}

/// What the watch saw of one account last time; nil orders means never seen (or seen under another link).
struct WatchMemory: Sendable {
    var orders: [String: WatchedOrder]?
}

/// The order watch's rows in `order_watch_accounts` and `order_watch_orders`, and its read-only look at the order flow's
/// intents.
extension BotStore {
    /// Every account to watch: linked accounts (or, in paper mode, paper accounts) of users not disabled whose order
    /// level is not off.
    func orderWatchers(paper: Bool) throws -> [OrderWatcher] {
        let fallback = SQLValue.text(NotificationKind.orders.defaultLevel.rawValue)
        let wanted = """
            COALESCE((SELECT level FROM notification_levels WHERE user_id = a.user_id AND kind = 'orders'), ?) != 'off'
            AND \(Self.notDisabled("a.user_id"))
            """
        if paper {
            return try db.query("SELECT a.user_id FROM paper_accounts a WHERE \(wanted) ORDER BY a.user_id", fallback) {
                OrderWatcher(userID: $0.int64(0), linked: nil)
            }
        }
        return try db.query("""
            SELECT a.user_id, a.name, a.host, a.sealed_key, a.key_id, a.key_hint, a.linked_at FROM accounts a
            WHERE \(wanted) ORDER BY a.user_id, a.name
            """, fallback) { OrderWatcher(userID: $0.int64(0), linked: Self.account($0)) }
    }

    /// What the watch remembers of `watcher`'s account; a row from before a relink counts as never seen.
    func watchMemory(of watcher: OrderWatcher) throws -> WatchMemory {
        let linkedAt = try db.query("SELECT linked_at FROM order_watch_accounts WHERE user_id = ? AND account = ?",
                                    .integer(watcher.userID), .text(watcher.account)) { $0.double(0) }.first
        guard let linkedAt, linkedAt == watcher.linkedAt.timeIntervalSince1970 else { return WatchMemory(orders: nil) }
        let rows = try db.query("SELECT order_id, status, filled FROM order_watch_orders WHERE user_id = ? AND account = ?",
                                .integer(watcher.userID), .text(watcher.account)) { ($0.text(0), WatchedOrder(status: $0.text(1), filled: $0.double(2))) }
        return WatchMemory(orders: Dictionary(rows, uniquingKeysWith: { first, _ in first }))
    }

    /// Of `ids`, the broker order ids that `userID`'s own order intents hold: orders placed through the bot.
    func ordersPlacedByBot(_ ids: Set<String>, of userID: Int64) throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let held = try db.query("SELECT broker_order_id FROM order_intents WHERE user_id = ? AND broker_order_id IS NOT NULL",
                                .integer(userID)) { $0.text(0) }
        return ids.intersection(held)
    }

    /// Replaces what the watch remembers of each account read, and forgets accounts no longer watched (unlinked, or
    /// turned off: turning on again starts with a silent first sight). Meant for the job's store work, inside its commit.
    func saveWatchMemory(_ read: [(watcher: OrderWatcher, orders: [String: WatchedOrder])], watched: [OrderWatcher],
                         now: Date) throws {
        for (watcher, orders) in read {
            try db.run("DELETE FROM order_watch_orders WHERE user_id = ? AND account = ?", .integer(watcher.userID), .text(watcher.account))
            for (id, order) in orders {
                try db.run("INSERT INTO order_watch_orders(user_id, account, order_id, status, filled) VALUES(?, ?, ?, ?, ?)",
                           .integer(watcher.userID), .text(watcher.account), .text(id), .text(order.status), .real(order.filled))
            }
            try db.run("""
                INSERT INTO order_watch_accounts(user_id, account, linked_at, seen_at) VALUES(?, ?, ?, ?)
                ON CONFLICT(user_id, account) DO UPDATE SET linked_at = excluded.linked_at, seen_at = excluded.seen_at
                """, .integer(watcher.userID), .text(watcher.account), .real(watcher.linkedAt.timeIntervalSince1970),
                .real(now.timeIntervalSince1970))
        }
        let keep = Set(watched.map { "\($0.userID)/\($0.account)" })
        let known = try db.query("SELECT user_id, account FROM order_watch_accounts") { ($0.int64(0), $0.text(1)) }
        for (userID, account) in known where !keep.contains("\(userID)/\(account)") {
            try db.run("DELETE FROM order_watch_orders WHERE user_id = ? AND account = ?", .integer(userID), .text(account))
            try db.run("DELETE FROM order_watch_accounts WHERE user_id = ? AND account = ?", .integer(userID), .text(account))
        }
    }
}
