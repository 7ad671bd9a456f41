import BotKit

/// A chart that could not be made.
public enum ChartError: Error, Sendable {
    case noData
    case encoding(String)
}
