import BotKit
import Foundation
import Testing

/// `FixedPoint` writes what `String(format: "%.Nf")` writes, without loading CoreFoundation's formatter.
@Suite struct FixedPointTests {
    @Test func matchesPrintfOnRoundedAmountsAndOrdinaryValues() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // What DisplayFormat passes: an amount already rounded to its decimals, up to 10^15.
            let decimals = Int.random(in: 0...3, using: &generator)
            let scale = pow(10, Double(decimals))
            let magnitude = pow(10, Double.random(in: -3...15, using: &generator))
            let rounded = (magnitude * scale).rounded() / scale * (Bool.random(using: &generator) ? -1 : 1)
            #expect(FixedPoint.format(rounded, decimals: decimals) == String(format: "%.\(decimals)f", rounded), "\(rounded)")
        }
        #expect(FixedPoint.format(2.5, decimals: 1) == "2.5")
        #expect(FixedPoint.format(2.5, decimals: 0) == "2" && FixedPoint.format(1.5, decimals: 0) == "2")
        #expect(FixedPoint.format(0.96, decimals: 1) == "1.0")
        #expect(FixedPoint.format(-0.04, decimals: 1) == "-0.0")
        #expect(FixedPoint.format(0.0625, decimals: 3) == "0.062")
        #expect(FixedPoint.format(-12.25, decimals: 2) == "-12.25")
        #expect(FixedPoint.format(1e300, decimals: 1) == String(format: "%.1f", 1e300))
    }

    @Test func nonFiniteValuesReadAsPrintfWritesThem() {
        #expect(FixedPoint.format(.nan, decimals: 2) == "nan")
        #expect(FixedPoint.format(.infinity, decimals: 2) == "inf")
        #expect(FixedPoint.format(-.infinity, decimals: 0) == "-inf")
    }
}
