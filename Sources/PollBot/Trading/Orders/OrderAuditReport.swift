import BotKit
import Foundation

/// `pollbot orders`: the order audit as a tab-separated table, one row per action; no keys or tokens are ever in it.
enum OrderAuditReport {
    static let header = "at\tuser_id\taccount\tevent\tfields\treply\terror_id"

    /// The table for `entries`, with times in ISO 8601, tabs or newlines inside a cell replaced by spaces, and other
    /// control or format characters written as `\u{…}`, so a broker's text cannot drive the operator's terminal.
    static func table(_ entries: [OrderAuditEntry]) -> String {
        let formatter = ISO8601DateFormatter()
        func cell(_ text: String) -> String {
            let flat = text.unicodeScalars.map { scalar -> String in
                if scalar == "\t" || scalar.properties.isWhitespace && scalar.properties.generalCategory != .spaceSeparator { return " " }
                guard [.control, .format].contains(scalar.properties.generalCategory) else { return String(scalar) }
                return "\\u{" + String(scalar.value, radix: 16) + "}"
            }.joined()
            return flat.isEmpty ? "-" : flat
        }
        let rows = entries.map { entry in
            [formatter.string(from: entry.at), String(entry.userID), cell(entry.account), cell(entry.event), cell(entry.fields),
             cell(entry.reply), cell(entry.errorID)].joined(separator: "\t")
        }
        return ([header] + rows).joined(separator: "\n")
    }
}
