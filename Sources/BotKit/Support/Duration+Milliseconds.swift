extension Duration {
    /// Whole milliseconds, rounded toward zero; never traps (a Duration's seconds already fit in Int64).
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1000).overflow ? (seconds < 0 ? .min : .max)
            : seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds, as a Double (for rates and for showing it).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
