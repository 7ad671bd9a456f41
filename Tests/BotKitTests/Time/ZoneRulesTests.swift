@testable import BotKit
import Foundation
import TestSupport
import Testing

/// Time zones from tzdata agree with Foundation's (ICU's) zones, and hostile names and files are refused.
@Suite struct ZoneRulesTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Zones with and without daylight saving, north and south, half-hour and 45-minute offsets, and Dublin's
    /// negative daylight saving (winter is its "daylight" time in tzdata).
    static let zones = ["Asia/Kolkata", "America/New_York", "Europe/London", "Australia/Sydney", "Europe/Dublin",
                        "Pacific/Chatham", "America/St_Johns", "Asia/Kathmandu", "UTC"]

    @Test(arguments: zones)
    func offsetsMatchFoundationFrom1970To2100(_ name: String) throws {
        let rules = try #require(ZoneRules.named(name))
        let foundation = try #require(TimeZone(identifier: name))
        // Every 5 days and 1 hour: the hour walks the samples round the clock, so transitions are passed at all hours.
        var seconds = 0.0
        var mismatches: [String] = []
        while seconds < 4_102_444_800 {
            let date = Date(timeIntervalSince1970: seconds)
            if rules.secondsFromGMT(for: date) != foundation.secondsFromGMT(for: date) { mismatches.append("\(date)") }
            seconds += 5 * 86_400 + 3600
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
    }

    @Test func wallClockFieldsAndBackAcrossDaylightSavingChanges() throws {
        let newYork = try #require(ZoneRules.named("America/New_York"))
        #expect(newYork.civil(Self.utc("2026-01-07T19:02:31Z")) == CivilTime(year: 2026, month: 1, day: 7, hour: 14, minute: 2, second: 31))
        #expect(newYork.civil(Self.utc("2026-01-07T19:02:31Z")).dayLabel == "Wed 7 Jan 2026")
        // 02:30 does not exist on 8 March 2026: the clock jumps from 02:00 EST to 03:00 EDT at 07:00 UTC.
        #expect(newYork.date(CivilTime(year: 2026, month: 3, day: 8, hour: 2, minute: 30)) == Self.utc("2026-03-08T07:00:00Z"))
        // 01:30 happens twice on 1 November 2026: the first (EDT) is chosen.
        #expect(newYork.date(CivilTime(year: 2026, month: 11, day: 1, hour: 1, minute: 30)) == Self.utc("2026-11-01T05:30:00Z"))
        // Past the file's last transition the footer's rule applies: July 2150 is EDT, January 2150 EST.
        #expect(newYork.secondsFromGMT(for: Self.utc("2150-07-01T12:00:00Z")) == -14_400)
        #expect(newYork.secondsFromGMT(for: Self.utc("2150-01-01T12:00:00Z")) == -18_000)
        let kolkata = try #require(ZoneRules.named("Asia/Kolkata"))
        #expect(kolkata.civil(Date(timeIntervalSince1970: 1_763_600_000)).clock(seconds: true) == "06:23:20")
    }

    @Test func hostileDatesNeverTrap() throws {
        let newYork = try #require(ZoneRules.named("America/New_York"))
        for seconds in [Double.nan, .infinity, -.infinity, 1e308, -1e308, Double(Int64.max), 0] {
            let local = newYork.civil(Date(timeIntervalSince1970: seconds))
            #expect((1...12).contains(local.month) && (1...31).contains(local.day))
            _ = newYork.date(local)
        }
    }

    @Test func unsafeOrUnknownNamesAreRefused() throws {
        for name in ["", "/etc/passwd", "../etc/passwd", "Asia/../../etc/passwd", "Asia/./Kolkata", ".hidden", "Asia//Kolkata",
                     "Asia/Kolkata\0", "Mars/Olympus_Mons", String(repeating: "A", count: 300), "Asia/Kolkata/"] {
            #expect(ZoneRules.named(name) == nil, "\(name.debugDescription)")
        }
        // A file that is not TZif, inside the zone directory, is refused with a reason.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("not a zone".utf8).write(to: URL(fileURLWithPath: directory.file("Fake")))
        #expect(throws: TZifError.self) { try ZoneRules.load("Fake", directory: directory.path) }
        #expect(ZoneRules.named("Fake", directory: directory.path) == nil)
        // Without tzdata, the default zone and UTC still work, at their fixed offsets.
        #expect(ZoneRules.named("Asia/Kolkata", directory: directory.path)?.secondsFromGMT(for: Date()) == 19_800)
        #expect(ZoneRules.named("UTC", directory: directory.path)?.secondsFromGMT(for: Date()) == 0)
    }

    @Test func everyTruncationOrCorruptionOfARealFileIsRefusedOrUsable() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/America/New_York")))
        #expect(try TZif(bytes).transitions.count > 100)
        for length in 0..<bytes.count {
            #expect(throws: TZifError.self) { try TZif(Array(bytes.prefix(length))) }
        }
        // Counts far past the file's size, in the first header's six count fields.
        for field in 0..<6 {
            var corrupt = bytes
            corrupt.replaceSubrange((20 + field * 4)..<(24 + field * 4), with: [0x7F, 0xFF, 0xFF, 0xFF])
            #expect(throws: TZifError.self) { try TZif(corrupt) }
        }
        #expect(throws: TZifError.self) { try TZif([UInt8](repeating: 0, count: TZif.maximumSize + 1)) }
    }

    @Test func posixRulesOfRealFootersAndHostileOnes() throws {
        let sydney = try PosixTZRule("AEST-10AEDT,M10.1.0,M4.1.0/3")
        #expect(sydney.offset(at: Int64(Self.utc("2026-01-15T00:00:00Z").timeIntervalSince1970)) == 39_600)
        #expect(sydney.offset(at: Int64(Self.utc("2026-07-15T00:00:00Z").timeIntervalSince1970)) == 36_000)
        #expect(try PosixTZRule("<+0545>-5:45").offset(at: 0) == 20_700)
        #expect(try PosixTZRule("IST-5:30").daylightOffset == nil)
        #expect(try PosixTZRule("XXX-23:59:59").offset(at: 0) == 86_399)
        // The widest transitions RFC 8536 allows, at the ends of time: `offset(at:)` clamps before any day arithmetic.
        let extreme = try PosixTZRule("XXX-22YYY,J365/167,0/-167")
        for seconds in [Int64.max, .min, 1 << 62, -(1 << 62), 0] {
            #expect([extreme.standardOffset, extreme.daylightOffset].contains(extreme.offset(at: seconds)))
        }
        for hostile in ["", "E", "EST", "EST99", "EST5EDT,M13.1.0,M1.1.0", "EST5EDT,M3.2.0", "EST5EDT,J0,J365", "<+05", "EST5EDT,M3.2.0,M11.1.0x",
                        // A day or more from UTC (the tzif fuzzer's find): standard 24 h, 24:59:59, daylight pushed past 24 h.
                        "XXX-24", "XXX+24:59:59", "XXX-23:30YYY", "XXX-1YYY-24,M3.2.0,M11.1.0"] {
            #expect(throws: TZifError.self, "\(hostile)") { try PosixTZRule(hostile) }
        }
    }

    @Test func civilDaysRoundTripAndMatchTheKnownCalendar() {
        for day in stride(from: -800_000, through: 800_000, by: 37) {
            let date = CivilTime.civil(day)
            #expect(CivilTime.days(year: date.year, month: date.month, day: date.day) == day)
        }
        #expect(CivilTime.civil(0) == (1970, 1, 1) && CivilTime.weekday(ofDay: 0) == 4)
        #expect(CivilTime(localSeconds: -1) == CivilTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        #expect(CivilTime(year: 2024, month: 2, day: 29).isoDate == "2024-02-29")
    }
}
