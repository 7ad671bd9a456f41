import BotKit
import Foundation

/// One user's simulated account, shared by that user's requests, and stored in the bot's database when it has one.
///
/// Every change runs alone: the books are read, changed and stored before the next request sees them, even though
/// storing suspends the actor (without the turn, two requests could both start from the same books and one change
/// would be lost).
actor PaperAccount {
    private let market: PaperMarket
    private let userID: Int64
    private let store: BotStore?
    /// The books as last stored; nil until the first request loads (or seeds) them.
    private var books: PaperLedger?
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(market: PaperMarket, userID: Int64, store: BotStore?) {
        self.market = market
        self.userID = userID
        self.store = store
    }

    /// The books at `now`: rolled over the session's close or a new session, resting orders the price reaches filled.
    func settled(at now: Date) async throws -> PaperLedger { try await update(at: now) { $0 } }

    /// Runs `change` on the books at `now`, and stores the result in one transaction before anyone sees it; when
    /// `change` throws or storing fails, the books stay as they were.
    func update<Result: Sendable>(at now: Date, _ change: (inout PaperLedger) throws -> Result) async throws -> Result {
        await takeTurn()
        defer { passTurn() }
        let current = try await loaded(at: now)
        var rolled = current
        rolled.roll(to: now)
        rolled.settle(at: now)
        try await keep(rolled, replacing: current)
        var changed = rolled
        let result = try change(&changed)
        try await keep(changed, replacing: rolled)
        return result
    }

    /// The stored books, or a fresh account's seeded day (stored at once, so a restart shows the same day).
    private func loaded(at now: Date) async throws -> PaperLedger {
        if let books { return books }
        if let stored = try await store?.paperBooks(of: userID, market: market) {
            books = stored
            return stored
        }
        let fresh = PaperLedger(market: market, now: now)
        try await store?.savePaperBooks(fresh, of: userID)
        books = fresh
        return fresh
    }

    private func keep(_ new: PaperLedger, replacing old: PaperLedger) async throws {
        guard !new.sameBooks(as: old) else { return }
        try await store?.savePaperBooks(new, of: userID)
        books = new
    }

    private func takeTurn() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the turn to the next waiting request (it stays taken), or frees it.
    private func passTurn() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
