import Foundation

/// Where each `section.key` stands in the text, for messages (TOMLKit reports lines of syntax errors only).
struct KeyLines {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var section = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                section = line[line.index(after: line.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                lines[section] = lines[section] ?? index + 1
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                let full = section.isEmpty ? key : "\(section).\(key)"
                lines[full] = lines[full] ?? index + 1
            }
        }
    }

    /// The line of `key`, or of its section, or "?".
    func line(of key: String) -> String {
        let key = key.firstIndex(of: "[").map { String(key[..<$0]) } ?? key
        if let line = lines[key] { return String(line) }
        let section = key.split(separator: ".").dropLast().joined(separator: ".")
        return lines[section].map(String.init) ?? "?"
    }
}
