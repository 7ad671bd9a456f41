/// A short id that ties a user-facing error reply to its log line.
public enum ErrorID {
    /// Six lowercase hex digits, random.
    public static func make() -> String {
        let value = UInt32.random(in: 0...0xFF_FFFF)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 6 - hex.count) + hex
    }
}
