@testable import BotKit
import Foundation
import Testing

/// The status page's timestamps, formatted without ICU (it cost the listener about 3 MB of RSS), must read exactly as
/// the DateFormatter they replace did.
@Suite struct StatusTimestampTests {
    @Test func knownDates() {
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: 1_750_000_000)) == "2025-06-15 15:06:40 UTC")
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: 951_868_799)) == "2000-02-29 23:59:59 UTC")
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: -1)) == "1969-12-31 23:59:59 UTC")
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: -2_208_988_800)) == "1900-01-01 00:00:00 UTC")
        // A fraction of a second is cut, not rounded up into the next second.
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: 59.999)) == "1970-01-01 00:00:59 UTC")
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31 23:59:59 UTC")
    }

    @Test func datesNoCalendarShowsAreADash() {
        for seconds in [Double.nan, .infinity, -.infinity, 1e308, -1e308, 253_402_300_800, -62_135_596_801] {
            #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: seconds)) == "-")
        }
        #expect(StatusHTML.timestamp(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31 23:59:59 UTC")
    }

    @Test func agreesWithDateFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // 1900 to 2200, whole seconds (DateFormatter and the page agree on cutting fractions; tested above).
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800...7_258_118_400, using: &generator)))
            #expect(StatusHTML.timestamp(date) == formatter.string(from: date))
        }
    }
}
