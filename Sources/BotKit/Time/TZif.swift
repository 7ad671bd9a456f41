import Foundation

/// A zone's UTC offsets read from a TZif file (RFC 8536, the files under /usr/share/zoneinfo).
///
/// The file is outside input (a config names it), so every count is checked against the bytes there are and every
/// value against RFC 8536's ranges; a bad file is refused with a reason, never trapped on.
public struct TZif: Sendable, Equatable {
    /// Transition moments, seconds since 1970 UTC, strictly ascending.
    public let transitions: [Int64]
    /// The UTC offset, in seconds, from each transition on (one per transition).
    public let offsets: [Int32]
    /// The offset before the first transition (time type 0).
    public let initialOffset: Int32
    /// The rule for moments after the last transition (the footer of version 2 and later), if it has one.
    public let rule: PosixTZRule?

    /// The largest file accepted: real ones are under 4 KB.
    public static let maximumSize = 256 * 1024

    init(transitions: [Int64], offsets: [Int32], initialOffset: Int32, rule: PosixTZRule?) {
        (self.transitions, self.offsets, self.initialOffset, self.rule) = (transitions, offsets, initialOffset, rule)
    }

    /// Parses a whole TZif file.
    public init(_ bytes: [UInt8]) throws(TZifError) {
        guard bytes.count <= Self.maximumSize else { throw TZifError("larger than \(Self.maximumSize) bytes") }
        var reader = Reader(bytes: bytes)
        let v1 = try reader.header()
        guard v1.version != 0 else {
            (transitions, offsets, initialOffset) = try reader.block(v1, timeSize: 4)
            rule = nil
            return
        }
        try reader.skip(v1.blockSize(timeSize: 4))
        let v2 = try reader.header()
        (transitions, offsets, initialOffset) = try reader.block(v2, timeSize: 8)
        guard try reader.byte() == 0x0A else { throw TZifError("no newline before the footer") }
        var footer: [UInt8] = []
        while true {
            let byte = try reader.byte()
            if byte == 0x0A { break }
            footer.append(byte)
        }
        rule = footer.isEmpty ? nil : try PosixTZRule(String(decoding: footer, as: UTF8.self))
    }

    /// The UTC offset in seconds at `seconds` since 1970 UTC.
    public func offset(at seconds: Int64) -> Int32 {
        // With no transitions the footer rule, when there is one, holds at every moment (RFC 8536 3.3, as glibc reads it).
        if let rule, seconds >= transitions.last ?? .min { return rule.offset(at: seconds) }
        guard let first = transitions.first, seconds >= first else { return initialOffset }
        // The last transition at or before `seconds`.
        var (low, high) = (0, transitions.count - 1)
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }

    /// Every offset in effect at some moment from `start` to `end` (seconds since 1970 UTC).
    func offsets(from start: Int64, to end: Int64) -> Set<Int32> {
        var found: Set<Int32> = [offset(at: start)]
        if let rule, end >= transitions.last ?? .min {
            found.insert(rule.standardOffset)
            if let daylight = rule.daylightOffset { found.insert(daylight) }
        }
        // The transitions inside the span, found by binary search for the first one after `start`.
        var (low, high) = (0, transitions.count)
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= start { low = middle + 1 } else { high = middle }
        }
        while low < transitions.count, transitions[low] <= end {
            found.insert(offsets[low])
            low += 1
        }
        return found
    }

    struct Header {
        var version: UInt8
        var isUTCCount, isStdCount, leapCount, timeCount, typeCount, charCount: Int

        func blockSize(timeSize: Int) -> Int {
            timeCount * (timeSize + 1) + typeCount * 6 + charCount + leapCount * (timeSize + 4) + isStdCount + isUTCCount
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func byte() throws(TZifError) -> UInt8 {
            guard position < bytes.count else { throw TZifError("ends early") }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func skip(_ count: Int) throws(TZifError) {
            guard count >= 0, count <= bytes.count - position else { throw TZifError("ends early") }
            position += count
        }

        mutating func integer(_ size: Int) throws(TZifError) -> Int64 {
            guard size <= bytes.count - position else { throw TZifError("ends early") }
            var value: UInt64 = 0
            for offset in 0..<size { value = value << 8 | UInt64(bytes[position + offset]) }
            position += size
            // Sign-extend a 32-bit field.
            return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) : Int64(bitPattern: value)
        }

        mutating func header() throws(TZifError) -> Header {
            guard bytes.count - position >= 44, Array(bytes[position..<position + 4]) == Array("TZif".utf8) else {
                throw TZifError("not a TZif file")
            }
            let version = bytes[position + 4]
            guard version == 0 || (0x32...0x39).contains(version) else { throw TZifError("unknown version \(version)") }
            position += 20
            var counts: [Int] = []
            for _ in 0..<6 {
                let count = try integer(4)
                // Each count is bounded by the bytes left, so no product below can overflow.
                guard count >= 0, count <= bytes.count else { throw TZifError("a count past the file's size") }
                counts.append(Int(count))
            }
            let header = Header(version: version, isUTCCount: counts[0], isStdCount: counts[1], leapCount: counts[2],
                                timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
            guard header.typeCount >= 1, header.typeCount <= 256, header.charCount >= 1 else {
                throw TZifError("needs 1 to 256 time types and a designation")
            }
            guard [0, header.typeCount].contains(header.isStdCount), [0, header.typeCount].contains(header.isUTCCount) else {
                throw TZifError("standard/UT indicator counts differ from the type count")
            }
            return header
        }

        mutating func block(_ header: Header, timeSize: Int) throws(TZifError) -> ([Int64], [Int32], Int32) {
            guard header.blockSize(timeSize: timeSize) <= bytes.count - position else { throw TZifError("ends early") }
            var times: [Int64] = []
            times.reserveCapacity(header.timeCount)
            for _ in 0..<header.timeCount {
                let time = try integer(timeSize)
                if let last = times.last, time <= last { throw TZifError("transitions out of order") }
                times.append(time)
            }
            var indices: [Int] = []
            for _ in 0..<header.timeCount {
                let index = Int(try byte())
                guard index < header.typeCount else { throw TZifError("a transition names a missing time type") }
                indices.append(index)
            }
            var offsets: [Int32] = []
            for _ in 0..<header.typeCount {
                let offset = try integer(4)
                // RFC 8536: -2^31 is forbidden; real offsets are within a day.
                guard abs(offset) < 86_400 else { throw TZifError("a UTC offset of \(offset) s") }
                offsets.append(Int32(offset))
                try skip(2)  // is-DST flag and designation index: not needed for offsets.
            }
            try skip(header.charCount + header.leapCount * (timeSize + 4) + header.isStdCount + header.isUTCCount)
            return (times, indices.map { offsets[$0] }, offsets[0])
        }
    }
}

/// A TZif file or footer that cannot be used; the message says why.
public struct TZifError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
