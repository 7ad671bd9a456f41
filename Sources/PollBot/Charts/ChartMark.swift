/// A labelled horizontal line on a chart: a proposed strike, a breakeven. The renderer draws the first 8 that are finite,
/// positive and within three times the candles' range of them (see `ChartMarks.drawable`); it ignores the rest.
public struct ChartMark: Sendable, Equatable {
    public enum Kind: String, Sendable { case strike, breakeven }

    public var price: Double
    /// Drawn at the line's right end ("Put 1400", "BE 1372.5").
    public var label: String
    public var kind: Kind

    public init(price: Double, label: String, kind: Kind) {
        self.price = price
        self.label = label
        self.kind = kind
    }
}
