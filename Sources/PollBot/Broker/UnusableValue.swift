import BotKit

/// A number from the broker that no real price, quantity, amount or time can have.
public struct UnusableValue: Error, Sendable, Equatable, CustomStringConvertible {
    /// Magnitudes at or above this are rejected: 10^15 exceeds any price, quantity or rupee amount by orders of magnitude,
    /// and every integer below it is exact in a Double.
    public static let limit = 1e15
    /// Candle and quote times, in seconds since 1970: 1990-01-01 up to 2100-01-01.
    public static let moments = 631_152_000.0..<4_102_444_800.0

    /// OpenAlgo's name of the field.
    public var field: String
    /// What the field belongs to, e.g. "RELIANCE NSE", once the item around it is known.
    public var item: String?
    /// The value as received.
    public var value: String

    public init(field: String, item: String? = nil, value: Double) {
        self.field = field
        self.item = item
        self.value = "\(value)"
    }

    /// True for a finite number below `limit` in magnitude.
    public static func isUsable(_ value: Double) -> Bool { value.isFinite && value.magnitude < limit }

    /// "quantity of RELIANCE NSE": what a reply names, without the value itself.
    public var subject: String { field + (item.map { " of \($0)" } ?? "") }

    /// "quantity of RELIANCE NSE (inf)": what the log keeps.
    public var description: String { "\(subject) (\(value))" }

    /// Rethrows `UnusableValue` from `body` with `item` filled in, so the reply names what the bad field belongs to.
    static func naming<T>(_ item: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as UnusableValue {
            if error.item == nil { error.item = item() }
            throw error
        }
    }
}
