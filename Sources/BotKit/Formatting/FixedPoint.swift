import Foundation

/// Decimal text of a number with a fixed count of decimals, like `%.2f`, without `String(format:)`, which goes
/// through CoreFoundation's formatter and its locale set-up on the reply path.
public enum FixedPoint {
    /// `value` with `decimals` digits after the point (0 to 9), rounded to nearest with ties to even and a minus sign
    /// on any negative value (even "-0.0"), as glibc's printf does; "nan", "inf" or "-inf" when it is not finite.
    public static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let decimals = max(0, min(9, decimals))
        let scale = pow(10, Double(decimals))
        let magnitude = value.magnitude
        // The integer part is exact in a Double; only the fraction is scaled, so no digit is lost to the scaling.
        // With no decimals a tie goes to the even whole number, which the split below would not see.
        var whole = decimals == 0 ? magnitude.rounded(.toNearestOrEven) : magnitude.rounded(.towardZero)
        var fraction = ((magnitude - whole) * scale).rounded(.toNearestOrEven)
        if fraction >= scale {
            whole += 1
            fraction = 0
        }
        let wholeText = whole < 9.0e18 ? String(UInt64(whole)) : String(format: "%.0f", whole)
        let negative = value.sign == .minus
        guard decimals > 0 else { return (negative ? "-" : "") + wholeText }
        let fractionText = String(UInt64(fraction))
        return (negative ? "-" : "") + wholeText + "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }
}
