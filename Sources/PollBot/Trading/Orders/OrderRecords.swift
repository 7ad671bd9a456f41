import BotKit
import Foundation

/// An order action waiting for its Confirm button: who asked, in which chat, on which account, what it does, and until
/// when it may be confirmed.
public struct PendingOrder: Sendable, Equatable {
    /// `confirmed` is the press's commit; an action other than a placement then goes `sending` (claimed, right before
    /// its one broker call) and `done`, so a press replayed after a crash does a confirmed action that never went out
    /// and never repeats one that may have.
    public enum State: String, Sendable { case pending, confirmed, sending, done, expired, cancelled }
    public var id: String
    public var userID: Int64
    public var chatID: Int64
    public var account: String
    public var action: PendingAction
    public var createdAt: Date
    public var expiresAt: Date
    public var state: State
    /// The OpenAlgo host the preview read; nil for a confirmation stored before hosts were bound.
    public var host: String? = nil
}

/// The bot's memory of an order it sends, committed before the broker call so that a crash or a timeout can be
/// reconciled instead of re-sent.
public struct OrderIntent: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Committed; the broker call may or may not have gone out.
        case sending
        /// The call went out and no clear answer came back: reconcile with the order book.
        case unknown
        /// The broker accepted it; `brokerOrderID` is its order.
        case placed
        /// Semi-auto mode: waiting for approval in OpenAlgo.
        case queued
        /// Analyze mode: only the sandbox has it.
        case simulated
        /// The broker refused it.
        case rejected
        /// Nothing was placed.
        case failed
        /// More than one order in the book could be it, or the broker answered with an order id another intent
        /// holds; the user checks by hand.
        case ambiguous
        /// Its account was unlinked before the outcome could be checked; the user checks OpenAlgo by hand.
        case unchecked

        /// True while the outcome is still open.
        public var isUnresolved: Bool { self == .sending || self == .unknown }
    }

    /// The client id, also sent as OpenAlgo's `strategy`.
    public var clientID: String
    public var confirmationID: String
    public var userID: Int64
    public var chatID: Int64
    public var account: String
    public var draft: OrderDraft
    public var createdAt: Date
    public var state: State
    /// Ids of the orders already in the book that match the draft, read right before sending: whatever matches and is
    /// not among them was placed after the intent. Nil until read, and nothing is sent before it is stored.
    public var baseline: [String]?
    public var brokerOrderID: String?
    public var message: String
    /// When the stored row last changed (nil on one not read from the store): for an open intent, its baseline read
    /// right before the send, or the moment its outcome became unknown.
    public var updatedAt: Date? = nil

    /// The request the broker gets for this intent.
    public var request: OrderRequest { OrderRequest(draft, strategy: clientID) }
}

/// The order flow's tables, one schema step.
enum OrderTables {
    static let step = """
        CREATE TABLE order_confirmations(
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            account TEXT NOT NULL,
            draft TEXT NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            state TEXT NOT NULL
        );
        CREATE TABLE order_intents(
            client_id TEXT PRIMARY KEY,
            confirmation_id TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            account TEXT NOT NULL,
            draft TEXT NOT NULL,
            created_at REAL NOT NULL,
            state TEXT NOT NULL,
            baseline TEXT,
            broker_order_id TEXT UNIQUE,
            message TEXT NOT NULL DEFAULT '',
            updated_at REAL NOT NULL
        );
        CREATE INDEX order_intents_state ON order_intents(state);
        CREATE TABLE order_audit(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            user_id INTEGER NOT NULL,
            account TEXT NOT NULL,
            event TEXT NOT NULL,
            fields TEXT NOT NULL,
            reply TEXT NOT NULL,
            error_id TEXT NOT NULL
        );
        CREATE INDEX order_audit_at ON order_audit(at);
        """

    /// The schema step that records which press confirmed (its callback query id, the same when Telegram's update is
    /// replayed after a crash) and, for an action other than a placement, the verdict its user was told: a replay of
    /// that press repeats the verdict, another press only hears it was already confirmed. Older rows have NULL in both.
    static let pressStep = """
        ALTER TABLE order_confirmations ADD COLUMN press_id TEXT;
        ALTER TABLE order_confirmations ADD COLUMN outcome TEXT;
        """

    /// A fresh id for a confirmation or an intent: 12 lowercase hex digits, short enough for callback data and `strategy`.
    static func newID() -> String {
        (0..<12).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
    }
}

/// One row of the order audit.
public struct OrderAuditEntry: Sendable, Equatable {
    public var at: Date
    public var userID: Int64
    public var account: String
    /// preview, blocked, confirm, refused press, replayed press, expired, cancel, placement, refused, unknown, reconciled, unchecked, result.
    public var event: String
    /// The order's fields in one line.
    public var fields: String
    /// The broker's reply or the bot's outcome, in words.
    public var reply: String
    public var errorID: String

    public init(at: Date, userID: Int64, account: String, event: String, fields: String, reply: String = "", errorID: String = "") {
        self.at = at
        self.userID = userID
        self.account = account
        self.event = event
        self.fields = fields
        self.reply = reply
        self.errorID = errorID
    }

    /// The fields of `draft` as the audit keeps them.
    public static func fields(_ draft: OrderDraft) -> String {
        "\(draft.action.rawValue) \(draft.quantity) \(draft.symbol) \(draft.exchange) \(draft.priceType.rawValue)"
            + "\(draft.price.map { " \($0)" } ?? "") \(draft.product.rawValue)"
    }
}
