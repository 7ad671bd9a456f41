#if DEBUG
import Foundation

/// Reads structured values out of the fuzzer's bytes; past the end every read is 0, so any input is a whole input.
struct FuzzBytes {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// The values that break arithmetic most often, reachable with one byte so that the fuzzer finds them at once.
    static let specials: [Double] = [
        .nan, .infinity, -.infinity, 1e308, -1e308, 0, -0.0, 1, -1, 1e15, 1e-300, .greatestFiniteMagnitude,
        .leastNonzeroMagnitude, 100, 1e14, 1e14.nextUp, 0.5, 2500, 1e-6, 10,
    ]

    /// A special value (one byte below `specials.count`), a small whole number, or any 64-bit pattern.
    mutating func double() -> Double {
        let tag = byte()
        if Int(tag) < Self.specials.count { return Self.specials[Int(tag)] }
        if tag < 128 { return Double(byte()) * Double(tag) / 7 }
        var bits: UInt64 = 0
        for _ in 0..<8 { bits = bits << 8 | UInt64(byte()) }
        return Double(bitPattern: bits)
    }

    /// Everything not read yet, as text (invalid UTF-8 repaired, as Foundation does with network input).
    mutating func restAsText() -> String {
        defer { position = bytes.count }
        return String(decoding: bytes[min(position, bytes.count)...], as: UTF8.self)
    }

    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[min(position, bytes.count)...])
    }
}
#endif
