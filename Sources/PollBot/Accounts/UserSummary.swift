import BotKit
import Foundation

/// A user as `pollbot users` lists them (no secrets).
public struct UserSummary: Sendable {
    public var userID: Int64
    public var username: String?
    public var accounts: [String]
    public var lastActive: Date
}

/// `pollbot users`: every user with the names of their linked accounts.
extension BotStore {
    /// Every user, most recently active first.
    public func userSummaries() throws -> [UserSummary] {
        try db.query("""
            SELECT u.user_id, u.username, u.last_active, group_concat(a.name, ', ')
            FROM users u LEFT JOIN accounts a ON a.user_id = u.user_id
            GROUP BY u.user_id ORDER BY u.last_active DESC
            """) { row in
            UserSummary(userID: row.int64(0), username: row.isNull(1) ? nil : row.text(1),
                        accounts: row.isNull(3) ? [] : row.text(3).components(separatedBy: ", "),
                        lastActive: Date(timeIntervalSince1970: row.double(2)))
        }
    }
}
