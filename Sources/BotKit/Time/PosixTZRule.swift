import Foundation

/// A POSIX TZ rule such as `EST5EDT,M3.2.0,M11.1.0` (a TZif footer): a standard offset and, optionally, a
/// daylight-saving offset with the local moments it starts and ends each year (RFC 8536 section 3.3).
public struct PosixTZRule: Sendable, Equatable {
    /// UTC offset in seconds (east positive, unlike the TZ string's sign).
    public let standardOffset: Int32
    /// UTC offset while daylight-saving time is in effect; nil for a zone without it.
    public let daylightOffset: Int32?
    let start: Transition
    let end: Transition

    /// A day of the year (`Jn`, `n` or `Mm.w.d`) and a local time, in seconds, which RFC 8536 allows from -167 to 167 h.
    struct Transition: Equatable {
        enum Day: Equatable { case julianNoLeap(Int), zeroBased(Int), monthWeek(month: Int, week: Int, weekday: Int) }
        var day: Day
        var time: Int

        /// Seconds since 1970 on the wall clock at which this transition falls in `year`.
        func localSeconds(in year: Int) -> Int64 {
            let first = CivilTime.days(year: year, month: 1, day: 1)
            let day: Int
            switch self.day {
            case .julianNoLeap(let n): day = first + n - 1 + (CivilTime.isLeap(year) && n >= 60 ? 1 : 0)
            case .zeroBased(let n): day = first + n
            case .monthWeek(let month, let week, let weekday):
                let monthStart = CivilTime.days(year: year, month: month, day: 1)
                var dayOfMonth = 1 + (weekday - CivilTime.weekday(ofDay: monthStart) + 7) % 7 + (week - 1) * 7
                while dayOfMonth > CivilTime.monthLength(year: year, month: month) { dayOfMonth -= 7 }
                day = monthStart + dayOfMonth - 1
            }
            return Int64(day) * 86_400 + Int64(time)
        }
    }

    /// Parses a TZ string; throws on anything RFC 8536 does not allow.
    public init(_ text: String) throws(TZifError) {
        var scanner = Scanner(text: Array(text.utf8))
        try scanner.name()
        standardOffset = Int32(-(try scanner.offset(maximumHours: 24)))
        // POSIX allows hours up to 24 (and 24:59:59); a real offset, like a TZif type's, is within a day.
        guard abs(standardOffset) < 86_400 else { throw TZifError("a UTC offset out of range in the rule: \(text)") }
        guard !scanner.atEnd else {
            (daylightOffset, start, end) = (nil, Transition(day: .zeroBased(0), time: 0), Transition(day: .zeroBased(0), time: 0))
            return
        }
        try scanner.name()
        var daylight = standardOffset + 3600
        if let next = scanner.peek, next != UInt8(ascii: ",") { daylight = Int32(-(try scanner.offset(maximumHours: 24))) }
        guard abs(daylight) < 86_400 else { throw TZifError("a daylight offset out of range in the rule: \(text)") }
        daylightOffset = daylight
        if scanner.atEnd {
            // POSIX leaves the default rule to the implementation; glibc and tzcode use the US one.
            (start, end) = (Transition(day: .monthWeek(month: 3, week: 2, weekday: 0), time: 7200),
                            Transition(day: .monthWeek(month: 11, week: 1, weekday: 0), time: 7200))
            return
        }
        try scanner.expect(",")
        start = try scanner.transition()
        try scanner.expect(",")
        end = try scanner.transition()
        guard scanner.atEnd else { throw TZifError("text after the rule: \(text)") }
    }

    /// The UTC offset at `seconds` since 1970 UTC.
    public func offset(at seconds: Int64) -> Int32 {
        guard let daylightOffset else { return standardOffset }
        // About 35,000 years either side of 1970: no day arithmetic below can overflow.
        let seconds = max(-(1 << 40), min(1 << 40, seconds))
        let year = CivilTime(localSeconds: seconds + Int64(standardOffset)).year
        // The start is given in standard local time, the end in daylight local time.
        let starts = start.localSeconds(in: year) - Int64(standardOffset)
        let ends = end.localSeconds(in: year) - Int64(daylightOffset)
        let inDaylight = starts < ends ? (seconds >= starts && seconds < ends) : !(seconds >= ends && seconds < starts)
        return inDaylight ? daylightOffset : standardOffset
    }

    struct Scanner {
        let text: [UInt8]
        var position = 0

        var atEnd: Bool { position == text.count }
        var peek: UInt8? { atEnd ? nil : text[position] }

        mutating func expect(_ character: Character) throws(TZifError) {
            guard peek == character.asciiValue else { throw TZifError("expected \(character) in the rule") }
            position += 1
        }

        /// `EST` or `<+0530>`: at least three characters, never used beyond skipping.
        mutating func name() throws(TZifError) {
            let begin = position
            if peek == UInt8(ascii: "<") {
                position += 1
                while let byte = peek, byte != UInt8(ascii: ">") {
                    guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || Self.isAlphanumeric(byte) else {
                        throw TZifError("a bad character in a quoted zone name")
                    }
                    position += 1
                }
                try expect(">")
                guard position - begin >= 5 else { throw TZifError("a zone name shorter than three characters") }
            } else {
                while let byte = peek, Self.isLetter(byte) { position += 1 }
                guard position - begin >= 3 else { throw TZifError("a zone name shorter than three characters") }
            }
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, with its sign.
        mutating func offset(maximumHours: Int) throws(TZifError) -> Int {
            var sign = 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") {
                sign = peek == UInt8(ascii: "-") ? -1 : 1
                position += 1
            }
            let hours = try number(maximum: maximumHours)
            var seconds = hours * 3600
            for unit in [60, 1] {
                guard peek == UInt8(ascii: ":") else { break }
                position += 1
                seconds += try number(maximum: 59) * unit
            }
            return sign * seconds
        }

        mutating func number(maximum: Int) throws(TZifError) -> Int {
            var value = 0
            let begin = position
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), position - begin < 4 {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                position += 1
            }
            guard position > begin, value <= maximum else { throw TZifError("a number out of range in the rule") }
            return value
        }

        mutating func transition() throws(TZifError) -> Transition {
            let day: Transition.Day
            if peek == UInt8(ascii: "J") {
                position += 1
                let n = try number(maximum: 365)
                guard n >= 1 else { throw TZifError("J0 is not a day") }
                day = .julianNoLeap(n)
            } else if peek == UInt8(ascii: "M") {
                position += 1
                let month = try number(maximum: 12)
                try expect(".")
                let week = try number(maximum: 5)
                try expect(".")
                let weekday = try number(maximum: 6)
                guard month >= 1, week >= 1 else { throw TZifError("a month or week of 0") }
                day = .monthWeek(month: month, week: week, weekday: weekday)
            } else {
                day = .zeroBased(try number(maximum: 365))
            }
            var time = 7200
            if peek == UInt8(ascii: "/") {
                position += 1
                time = try offset(maximumHours: 167)
            }
            return Transition(day: day, time: time)
        }

        static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) }
    }
}
