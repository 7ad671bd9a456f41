import BotKit
import Foundation

/// `pollbot orders`: the order audit as a tab-separated table, one row per action; no keys or tokens are ever in it.
enum OrderAuditReport {
    static let header = "at\tuser_id\taccount\tevent\tfields\treply\terror_id"

    /// The table for `entries`, with times in ISO 8601 and tabs or newlines inside a cell replaced by spaces.
    static func table(_ entries: [OrderAuditEntry]) -> String {
        let formatter = ISO8601DateFormatter()
        func cell(_ text: String) -> String {
            let flat = text.map { $0 == "\t" || $0.isNewline ? " " : $0 }
            return flat.isEmpty ? "-" : String(flat)
        }
        let rows = entries.map { entry in
            [formatter.string(from: entry.at), String(entry.userID), cell(entry.account), cell(entry.event), cell(entry.fields),
             cell(entry.reply), cell(entry.errorID)].joined(separator: "\t")
        }
        return ([header] + rows).joined(separator: "\n")
    }
}
