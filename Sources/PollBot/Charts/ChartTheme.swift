import BotKit

/// The colours of a chart.
public struct ChartTheme: Sendable {
    /// An RGB colour, components 0...1.
    public struct Color: Sendable, Equatable {
        public var red, green, blue: Double
        public init(_ hex: UInt32) {
            red = Double((hex >> 16) & 0xFF) / 255
            green = Double((hex >> 8) & 0xFF) / 255
            blue = Double(hex & 0xFF) / 255
        }
    }

    public var background: Color
    public var grid: Color
    public var text: Color
    public var mutedText: Color
    public var up: Color
    public var down: Color
    public var vwap: Color
    public var ma20: Color
    public var ma50: Color
    public var ma200: Color
    public var support: Color
    public var resistance: Color
    /// An option strike drawn on the chart: pink, apart from the reds of falling candles and resistance.
    public var strike: Color
    /// A breakeven drawn on the chart: brown, apart from every study's colour.
    public var breakeven: Color

    public static let light = ChartTheme(
        background: Color(0xFFFFFF), grid: Color(0xE6E9EF), text: Color(0x1F2328), mutedText: Color(0x6A737D),
        up: Color(0x1E9E6A), down: Color(0xE0413C), vwap: Color(0xF08C00), ma20: Color(0x2962FF), ma50: Color(0xFF9800),
        ma200: Color(0x9C27B0), support: Color(0x00897B), resistance: Color(0xC62828),
        strike: Color(0xC51162), breakeven: Color(0x795548))

    public static let dark = ChartTheme(
        background: Color(0x131722), grid: Color(0x2A2E39), text: Color(0xD1D4DC), mutedText: Color(0x8B919E),
        up: Color(0x26A69A), down: Color(0xEF5350), vwap: Color(0xFFB74D), ma20: Color(0x448AFF), ma50: Color(0xFFCA28),
        ma200: Color(0xCE93D8), support: Color(0x4DB6AC), resistance: Color(0xE57373),
        strike: Color(0xFF4081), breakeven: Color(0xBCAAA4))

    /// The theme `[charts] theme` names.
    public static func named(_ theme: BotConfig.Charts.Theme) -> ChartTheme { theme == .dark ? .dark : .light }
}
