import Foundation

/// A named time zone's UTC offsets, read from the system's tzdata (TZif files) instead of ICU.
///
/// Foundation's `TimeZone(identifier:)` and a `Calendar` in a named zone initialise ICU and page in its data (in
/// pollbot about 0.5 MB of it at idle; BENCHMARKS.md). These rules answer the offset at any moment; calendar fields
/// come from `CivilTime`, and a Foundation API that needs a zone gets `fixedZone(at:)`.
public struct ZoneRules: Sendable, Equatable, CustomStringConvertible {
    /// The IANA name, e.g. "Asia/Kolkata".
    public let identifier: String
    let tzif: TZif

    public var description: String { identifier }

    /// UTC: no transitions, offset 0.
    public static let utc = ZoneRules(identifier: "UTC", fixedOffset: 0)

    /// A zone that never changes its offset.
    public init(identifier: String, fixedOffset: Int32) {
        self.identifier = identifier
        tzif = TZif(transitions: [], offsets: [], initialOffset: fixedOffset, rule: nil)
    }

    /// Rules parsed from the bytes of a TZif file.
    public init(identifier: String, tzif bytes: [UInt8]) throws(TZifError) {
        self.identifier = identifier
        tzif = try TZif(bytes)
    }

    /// Zones the bot must know even on a machine without tzdata: its default, and UTC.
    /// India has kept +05:30 without daylight saving since 1945.
    static let builtIn: [String: Int32] = ["UTC": 0, "Etc/UTC": 0, "GMT": 0, "Asia/Kolkata": 19_800, "Asia/Calcutta": 19_800]

    /// Where tzdata lives: `$TZDIR`, as the C library reads it, else /usr/share/zoneinfo.
    public static var defaultDirectory: String { ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo" }

    /// The rules of the IANA zone `name` from `directory`, or nil when the name is not a zone there (or not a safe
    /// name: absolute, `..`, or characters no zone name has). UTC and Asia/Kolkata work without tzdata.
    public static func named(_ name: String, directory: String = defaultDirectory) -> ZoneRules? {
        (try? load(name, directory: directory)) ?? builtIn[name].map { ZoneRules(identifier: name, fixedOffset: $0) }
    }

    /// Like `named`, with the reason a zone cannot be used.
    public static func load(_ name: String, directory: String = defaultDirectory) throws(TZifError) -> ZoneRules {
        guard isSafeName(name) else { throw TZifError("\"\(name)\" is not a time zone name") }
        let path = directory + "/" + name
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TZifError("no time zone \(name) in \(directory)") }
        defer { try? handle.close() }
        // One byte past the limit tells a file that is too large from one that is exactly at it.
        let data = (try? handle.read(upToCount: TZif.maximumSize + 1)) ?? nil
        guard let data else { throw TZifError("\(path) cannot be read") }
        return try ZoneRules(identifier: name, tzif: Array(data))
    }

    /// Zone names are ASCII letters, digits, `_`, `-`, `+` and `/`-separated parts, none of them `.` or `..`.
    static func isSafeName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255, !name.hasPrefix("/") else { return false }
        let allowed = name.utf8.allSatisfy { byte in
            PosixTZRule.Scanner.isAlphanumeric(byte) || [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                                                         UInt8(ascii: "/"), UInt8(ascii: ".")].contains(byte)
        }
        return allowed && name.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") }
    }

    /// The machine's zone: `$TZ` if it names one, else /etc/localtime (named after its link), else UTC.
    public static var system: ZoneRules {
        let environment = ProcessInfo.processInfo.environment
        if let tz = environment["TZ"], let rules = named(tz.hasPrefix(":") ? String(tz.dropFirst()) : tz) { return rules }
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime")) ?? ""
        let name = link.range(of: "zoneinfo/").map { String(link[$0.upperBound...]) } ?? "localtime"
        guard let data = FileManager.default.contents(atPath: "/etc/localtime"), data.count <= TZif.maximumSize,
              let rules = try? ZoneRules(identifier: name, tzif: Array(data)) else { return .utc }
        return rules
    }

    /// The Foundation zone of this name, for Foundation formatters that need one (charts, broker history requests):
    /// a named zone loads ICU, so nothing run at start, at idle or per update uses it.
    public var foundationZone: TimeZone {
        TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: secondsFromGMT(for: Date())) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// The UTC offset in seconds at `date`.
    public func secondsFromGMT(for date: Date) -> Int { Int(tzif.offset(at: Self.seconds(date))) }

    /// A fixed-offset Foundation zone with this zone's offset at `date` (pure Swift in swift-foundation, no ICU).
    public func fixedZone(at date: Date) -> TimeZone {
        TimeZone(secondsFromGMT: secondsFromGMT(for: date)) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// The wall-clock time in this zone at `date`; NaN and dates beyond ±35,000 years are clamped, never trapped on.
    public func civil(_ date: Date) -> CivilTime {
        let seconds = Self.seconds(date)
        return CivilTime(localSeconds: seconds + Int64(tzif.offset(at: seconds)))
    }

    /// The first moment whose wall clock here reads `local`, or, when that time is skipped by a change to
    /// daylight-saving time, the moment the clock jumps past it (as Calendar's `.nextTime` policy does).
    public func date(_ local: CivilTime) -> Date {
        let wall = local.localSeconds
        // A moment t reads `wall` when t + offset(t) == wall; every offset is under a day, so t is within a day of
        // `wall` and its offset is one of those in effect then: trying each finds the earliest such moment.
        let span = tzif.offsets(from: wall - 86_400, to: wall + 86_400).map { wall - Int64($0) }.sorted()
        if let exact = span.first(where: { $0 + Int64(tzif.offset(at: $0)) == wall }) {
            return Date(timeIntervalSince1970: TimeInterval(exact))
        }
        // In a gap: the first moment whose wall clock is past `wall` (the transition that skipped it).
        var (low, high) = (span.first ?? wall, span.last ?? wall)
        while low < high {
            let middle = low + (high - low) / 2
            if middle + Int64(tzif.offset(at: middle)) >= wall { high = middle } else { low = middle + 1 }
        }
        return Date(timeIntervalSince1970: TimeInterval(low))
    }

    /// Whole seconds since 1970 of `date`, clamped to about ±35,000 years; NaN is 0.
    static func seconds(_ date: Date) -> Int64 {
        let value = date.timeIntervalSince1970.rounded(.down)
        guard !value.isNaN else { return 0 }
        return Int64(max(-1.1e12, min(1.1e12, value)))
    }

    public static func == (lhs: ZoneRules, rhs: ZoneRules) -> Bool { lhs.identifier == rhs.identifier && lhs.tzif == rhs.tzif }
}
