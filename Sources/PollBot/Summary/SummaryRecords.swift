import Foundation

/// One account's P&L for one trading day, as its daily summary reported it.
public struct DailySnapshot: Sendable, Equatable {
    public var userID: Int64
    /// MarketCalendar's local day number.
    public var day: Int
    public var account: String
    public var realized: Double
    public var unrealized: Double
    public var total: Double
    /// Orders complete in the book at the summary.
    public var fills: Int
    /// Orders rejected in the book at the summary.
    public var rejections: Int

    public init(userID: Int64, day: Int, account: String, realized: Double, unrealized: Double, fills: Int, rejections: Int) {
        self.userID = userID
        self.day = day
        self.account = account
        self.realized = realized
        self.unrealized = unrealized
        self.total = realized + unrealized
        self.fills = fills
        self.rejections = rejections
    }
}

/// A level of the day's total P&L across a user's accounts that the user wants to hear about, once per day.
public struct PnLThreshold: Sendable, Equatable {
    /// Which side of the level fires.
    public enum Direction: String, Sendable, CaseIterable {
        case above, below
    }

    public var id: Int64
    public var userID: Int64
    public var chatID: Int64
    public var direction: Direction
    public var level: Double
    /// The trading day it last fired, if ever.
    public var firedDay: Int?

    /// True when `total` is on the side of the level this threshold watches (the level itself counts).
    public func isMet(by total: Double) -> Bool {
        guard total.isFinite else { return false }
        return direction == .above ? total >= level : total <= level
    }
}
