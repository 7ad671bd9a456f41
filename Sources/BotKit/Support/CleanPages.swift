import CMemory
import Foundation
import Synchronization

/// Gives the kernel back the resident pages of code and constants: start-up code (the config, migrations, TLS set-up)
/// stays mapped otherwise, since the kernel frees clean pages only under memory pressure. The pages stay in the page
/// cache; a function run again is mapped again by its first touch, a minor fault, without reading the disk.
public enum CleanPages {
    /// Whether this process's pages may be released: only a process's own `main` knows that no other code in it
    /// (a test run's hundreds of tests, a host application) pays for a release, so a bot run as a library never does.
    private static let enabled = Atomic(false)

    /// Lets the bots of this process release its pages and trim its heap; the `pollbot` binary calls it in `main`.
    public static func enableForThisProcess() {
        enabled.store(true, ordering: .relaxed)
    }

    /// True once `enableForThisProcess` was called.
    static var isEnabledForThisProcess: Bool { enabled.load(ordering: .relaxed) }

    /// An address range [start, end) of the process.
    struct Range: Equatable {
        var start: UInt
        var end: UInt
    }

    /// Why nothing or not everything was released.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The mappings in `smaps` (the text of /proc/self/smaps) that hold no page of their own, so that dropping their
    /// pages loses nothing: a file mapped private and not writable, no page of it copied on write (Anonymous) or
    /// swapped out (Swap), both fields present and 0. A segment made read-only after relocation (RELRO) holds copied
    /// pages, so it is never one of them. Private_Dirty is not looked at: in a file mapping it also counts page-cache
    /// pages not yet written back (a binary just built, any file on tmpfs), which are the file's and stay in the cache.
    static func cleanMappings(smaps: String) -> [Range] {
        var clean: [Range] = []
        var current: Range?
        var ownPages = false
        // The fields among Anonymous and Swap that said 0, one bit each.
        var zeroFields: UInt8 = 0
        func close() {
            if let current, !ownPages, zeroFields == 0b11 { clean.append(current) }
            current = nil
        }
        // Bytes, not Characters: on a thread of Swift's pool, 80 KB of smaps took 4.7 ms split as a String, 1.4 ms as bytes.
        let space = UInt8(ascii: " ")
        for line in smaps.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: space, maxSplits: 5, omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.last == UInt8(ascii: ":") {
                // A field of the current mapping: its pages of its own, copied on write (Anonymous) or swapped.
                let bit: UInt8? = if first.elementsEqual("Anonymous:".utf8) { 0b01 }
                    else if first.elementsEqual("Swap:".utf8) { 0b10 } else { nil }
                if let bit {
                    if fields.count >= 2, fields[1].elementsEqual("0".utf8) { zeroFields |= bit } else { ownPages = true }
                }
                continue
            }
            close()
            let bounds = first.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            guard fields.count == 6, bounds.count == 2, let start = hexadecimal(bounds[0]), let end = hexadecimal(bounds[1]),
                  start < end else { continue }
            let permissions = Array(fields[1])
            // r-xp, r--p, --xp: private and never writable. [vdso], [heap], anonymous ones have no path.
            guard permissions.count == 4, permissions[1] != UInt8(ascii: "w"), permissions[3] == UInt8(ascii: "p"),
                  fields[5].first(where: { $0 != space }) == UInt8(ascii: "/") else { continue }
            current = Range(start: start, end: end)
            ownPages = false
            zeroFields = 0
        }
        close()
        return clean
    }

    /// The number written in hexadecimal digits `digits`; nil when empty, not hexadecimal, or past UInt.max.
    private static func hexadecimal(_ digits: Substring.UTF8View) -> UInt? {
        guard !digits.isEmpty, digits.count <= UInt.bitWidth / 4 else { return nil }
        var value: UInt = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt(nibble)
        }
        return value
    }

    /// Releases the clean pages of every loaded object's read-only segments; returns the resident bytes before and
    /// after. Throws when /proc/self/smaps cannot be read or a release call fails (the other ranges are released).
    @discardableResult
    public static func release() throws -> (before: Int, after: Int) {
        #if os(Linux)
        let smaps = try readSmaps()
        let before = residentBytes()
        try releaseSegments(in: cleanMappings(smaps: smaps))
        return (before, residentBytes())
        #else
        throw Failure(description: "releasing pages needs Linux")
        #endif
    }

    /// The text of /proc/self/smaps. String(contentsOfFile:) stops at the first read of a /proc file, whose size is 0.
    static func readSmaps() throws -> String {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else {
            throw Failure(description: "/proc/self/smaps cannot be read")
        }
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Resident bytes now, 0 when /proc cannot tell.
    static func residentBytes() -> Int {
        Int(ProcessFigures.residentBytes() ?? 0)
    }

    /// Releases the pages of loaded objects' read-only segments inside `ranges` that are still the file's when this
    /// runs; returns the bytes released. Throws when /proc/self/pagemap cannot be read or a madvise call failed.
    @discardableResult
    static func releaseSegments(in ranges: [Range]) throws -> Int {
        let bounds = ranges.flatMap { [$0.start, $0.end] }
        let advised = bounds.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { pollbot_release_clean_segments($0, buffer.count / 2) } ?? 0
        }
        guard advised >= 0 else {
            throw Failure(description: "releasing code pages failed: \(String(cString: strerror(errno)))")
        }
        return advised
    }
}
