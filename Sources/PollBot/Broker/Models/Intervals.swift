import BotKit

/// The bar sizes a broker offers for `history`, in OpenAlgo's spelling (`5m`, `1h`, `D`).
public struct Intervals: Decodable, Sendable, Equatable {
    public var all: [String]

    public init(_ all: [String]) { self.all = all }

    public init(from decoder: any Decoder) throws {
        let groups = try decoder.singleValueContainer().decode([String: [String]].self)
        let order = ["seconds", "minutes", "hours", "days", "weeks", "months"]
        all = order.flatMap { groups[$0] ?? [] }
    }
}
