import BotKit

/// Shows Telegram HTML in a terminal: bold, italic and underline with ANSI codes, code and `<pre>` in cyan, or plain text.
public struct TerminalRenderer: Sendable {
    public let ansi: Bool

    public init(ansi: Bool) { self.ansi = ansi }

    /// The text of `html`, each line indented by `indent`.
    public func render(_ html: String, indent: String = "") -> String {
        var out = ""
        // Telegram shows <pre> as a block of its own; a terminal needs the line breaks spelled out.
        var blockEnded = false
        for token in HTMLTokenizer.tokens(of: html) {
            if blockEnded, case .text(let scalar) = token, scalar != "\n" { out += "\n" }
            if case .tag = token {} else { blockEnded = false }
            switch token {
            case let .tag(_, name, isClosing):
                if name == "pre" {
                    if isClosing { blockEnded = true } else if !out.isEmpty, !out.hasSuffix("\n") { out += "\n" }
                }
                guard ansi else { continue }
                switch name {
                case "b", "strong": out += isClosing ? "\u{1B}[22m" : "\u{1B}[1m"
                case "i", "em": out += isClosing ? "\u{1B}[23m" : "\u{1B}[3m"
                case "u", "ins": out += isClosing ? "\u{1B}[24m" : "\u{1B}[4m"
                case "code", "pre": out += isClosing ? "\u{1B}[39m" : "\u{1B}[36m"
                default: break
                }
            case .entity(let raw): out += HTML.decodeEntity(raw)
            case .text(let scalar): out.unicodeScalars.append(scalar)
            }
        }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(separator: "\n")
    }

    /// Inline buttons as numbered choices, numbered from 1 across the rows.
    public func choices(_ keyboard: InlineKeyboard, indent: String) -> String {
        var number = 0
        return keyboard.rows.map { row in
            indent + row.map { button in
                number += 1
                let label = "[\(number)] \(button.text)"
                return ansi ? "\u{1B}[33m\(label)\u{1B}[39m" : label
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
