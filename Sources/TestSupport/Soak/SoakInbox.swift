import BotKit
import Foundation

/// The soak's read-only look at the bot's inbox while it runs (SQLite in WAL mode lets a reader in beside the bot).
final class SoakInbox {
    private let path: String
    private var db: SQLiteDatabase?

    init(path: String) { self.path = path }

    /// Updates pending whose handler has started `Dispatcher.maxAttempts` times: one more kill now and the bot gives
    /// them up as poisoned. -1 when the inbox cannot be read, so that no kill is drawn blind.
    func secondRuns() -> Int {
        if db == nil, FileManager.default.fileExists(atPath: path) { db = try? SQLiteDatabase(path: path) }
        guard let db else { return -1 }
        let sql = "SELECT count(*) FROM inbox WHERE status = 0 AND attempts >= \(Dispatcher.maxAttempts)"
        return (try? db.query(sql) { $0.int(0) })?.first ?? -1
    }
}
