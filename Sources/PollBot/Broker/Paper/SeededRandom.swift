import BotKit
import Foundation

/// SplitMix64: a small, fast generator whose sequence depends only on its seed, so the paper market replays exactly.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A seed from text and numbers (FNV-1a), stable across runs and machines, unlike `Hasher`.
    init(_ text: String, _ numbers: Int...) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        for number in numbers {
            hash ^= UInt64(bitPattern: Int64(number))
            hash = hash &* 0x100_0000_01b3
        }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform number in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A standard normal number (Box-Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), 1e-12)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * unit())
    }
}
