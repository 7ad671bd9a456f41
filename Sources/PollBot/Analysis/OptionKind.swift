/// Which side of a European option: the right to buy (call) or to sell (put) at the strike.
public enum OptionKind: String, Sendable, CaseIterable {
    case call, put
}
