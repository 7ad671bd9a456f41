#if DEBUG
import BotKit
import Foundation

/// The TZif parser (a config names the zone file it reads): any bytes are refused with a `TZifError` or give rules
/// whose offsets are within a day, and whose wall-clock times map back to the same wall clock.
enum TZifFuzz {
    static func run(_ data: [UInt8]) throws {
        let rules: ZoneRules
        do {
            rules = try ZoneRules(identifier: "Fuzz/Zone", tzif: data)
        } catch {
            return
        }
        // Moments across the range the bot can meet, including around the file's own transitions.
        var moments: [Double] = [-1e12, -2e9, 0, 1.7e9, 4.2e9, 1e12, .nan, .infinity]
        if data.count >= 8 { moments.append(Double(Int32(bitPattern: UInt32(data[4]) << 24 | UInt32(data[5]) << 16 | UInt32(data[6]) << 8 | UInt32(data[7])))) }
        for seconds in moments {
            let date = Date(timeIntervalSince1970: seconds)
            let offset = rules.secondsFromGMT(for: date)
            try require(abs(offset) < 86_400, "offset \(offset) at \(seconds)")
            let local = rules.civil(date)
            try require((1...12).contains(local.month) && (1...31).contains(local.day) && (0...23).contains(local.hour),
                        "fields \(local) at \(seconds)")
            // That wall clock was read at `date`, so its first moment exists: no later than `date`, reading the same.
            guard seconds.isFinite, abs(seconds) < 1e12 else { continue }
            let back = rules.date(local)
            try require(rules.civil(back) == local && back <= date.addingTimeInterval(0.999),
                        "\(local) maps to \(back), which reads \(rules.civil(back))")
        }
    }
}
#endif
