/// Monospace lines for a `<pre>` block, kept narrow enough for a phone (34 columns).
public struct TextTable: Sendable {
    /// Columns a line fills: what a phone shows without wrapping.
    public static let width = 34
    private var lines: [String] = []

    public init() {}

    /// A label on the left and a value flush right, e.g. `Available cash    ₹3,20,000.66`; when both do not fit
    /// one line, the value goes flush right on the next.
    public mutating func row(_ label: String, _ value: String) {
        let gap = Self.width - label.count - value.count
        if gap >= 1 {
            lines.append(label + String(repeating: " ", count: gap) + value)
        } else {
            lines.append(label)
            lines.append(String(repeating: " ", count: max(0, Self.width - value.count)) + value)
        }
    }

    /// A line as it is.
    public mutating func line(_ text: String) { lines.append(text) }

    /// An empty line between groups.
    public mutating func gap() { lines.append("") }

    /// The `<pre>` block, escaped, with the line break that ends it in the message text.
    public var html: String { "<pre>" + HTML.escape(lines.joined(separator: "\n")) + "</pre>\n" }
}
