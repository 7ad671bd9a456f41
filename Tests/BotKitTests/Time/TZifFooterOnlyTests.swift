@testable import BotKit
import Foundation
import Testing

/// A TZif file with no transitions and a footer rule (what `zic -b slim` may write for a zone whose rule never
/// changed) follows the rule at every moment, as glibc does; before, its daylight saving time was ignored.
@Suite struct TZifFooterOnlyTests {
    @Test func aRuleWithoutTransitionsHoldsAtEveryMomentAndInScheduling() throws {
        let zone = try ZoneRules(identifier: "Test/Footer", tzif: Self.footerOnly("EST5EDT,M3.2.0,M11.1.0"))
        let july = Date(timeIntervalSince1970: 1_783_000_000)  // 2026-07-02
        let january = Date(timeIntervalSince1970: 1_768_000_000)  // 2026-01-09
        #expect(zone.secondsFromGMT(for: july) == -14_400)
        #expect(zone.secondsFromGMT(for: january) == -18_000)
        // A wall time in summer maps back through the daylight offset.
        let noon = zone.date(CivilTime(year: 2026, month: 7, day: 2, hour: 12))
        #expect(zone.civil(noon).hour == 12)
        #expect(noon.timeIntervalSince1970 == TimeInterval(CivilTime(year: 2026, month: 7, day: 2, hour: 16).localSeconds))
    }

    /// A version 2 file: no transitions, one time type (EST, -5 h), and `rule` as its footer.
    static func footerOnly(_ rule: String) -> [UInt8] {
        func count(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
        let block = Array("TZif2".utf8) + [UInt8](repeating: 0, count: 15) + [0, 0, 0, 0, 1, 4].flatMap(count)
            + count(UInt32(bitPattern: -18_000)) + [0, 0] + Array("EST".utf8) + [0]
        return block + block + [0x0A] + Array(rule.utf8) + [0x0A]
    }
}
