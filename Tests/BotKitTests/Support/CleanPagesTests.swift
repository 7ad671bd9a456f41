@testable import BotKit
import Foundation
import Testing

/// Which mappings may lose their pages, and a real release in this test process, which must go on running.
@Suite struct CleanPagesTests {
    static let smaps = """
        55d0c2a00000-55d0c2b00000 r--p 00000000 fe:00 101                        /usr/bin/pollbot
        Size:               1024 kB
        Rss:                 512 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        VmFlags: rd mr mw me sd
        55d0c2b00000-55d0c3b00000 r-xp 00100000 fe:00 101                        /usr/bin/pollbot
        Rss:                6000 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        55d0c3b00000-55d0c3c00000 r--p 01100000 fe:00 101                        /usr/bin/pollbot
        Rss:                 800 kB
        Private_Dirty:       800 kB
        Anonymous:           800 kB
        Swap:                  0 kB
        55d0c3c00000-55d0c3d00000 rw-p 01200000 fe:00 101                        /usr/bin/pollbot
        Anonymous:             0 kB
        7f0000000000-7f0000100000 r-xp 00000000 fe:00 202                        /opt/my libs/libx.so.1 (deleted)
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        7f0000080000-7f0000090000 r--p 00000000 fe:00 207                        /tmp/just-built
        Private_Dirty:        64 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        7f0000100000-7f0000200000 r-xp 00000000 fe:00 203                        /usr/lib/libswapped.so
        Anonymous:             0 kB
        Swap:                  4 kB
        7f0000200000-7f0000300000 r--s 00000000 fe:00 204                        /dev/shm/shared
        Anonymous:             0 kB
        7f0000300000-7f0000400000 r-xp 00000000 00:00 0
        Anonymous:             4 kB
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]
        Anonymous:             0 kB
        7ffd00002000-7ffd00001000 r-xp 00000000 fe:00 205                        /backwards
        Anonymous:             0 kB
        not a mapping line at all
        7f0000500000-7f0000600000 r-xp 00000000 fe:00 206                        /usr/lib/libtorn.so
        Anonymous:
        """

    @Test func onlyPrivateReadOnlyFileMappingsWithNoPageOfTheirOwnAreClean() {
        let clean = CleanPages.cleanMappings(smaps: Self.smaps)
        #expect(clean == [
            .init(start: 0x55d0_c2a0_0000, end: 0x55d0_c2b0_0000),  // constants
            .init(start: 0x55d0_c2b0_0000, end: 0x55d0_c3b0_0000),  // code
            .init(start: 0x7f00_0000_0000, end: 0x7f00_0010_0000),  // a path with spaces, replaced on disk
            .init(start: 0x7f00_0008_0000, end: 0x7f00_0009_0000),  // dirty in the page cache, not copied
        ])
        // Left out: RELRO (copied pages), writable, swapped, shared, anonymous code, [vdso], a backwards range, and a
        // mapping whose Anonymous field cannot be read.
    }

    @Test func noMappingsInEmptyOrGarbledText() {
        #expect(CleanPages.cleanMappings(smaps: "").isEmpty)
        #expect(CleanPages.cleanMappings(smaps: "\n\n-\n- - - - - -\nffff-\n").isEmpty)
        // Addresses past UInt.max, or not plain hexadecimal, are no mapping (and no overflow trap).
        let fields = "\nAnonymous: 0 kB\nSwap: 0 kB\n"
        for bounds in ["10000000000000000-10000000000000001", "0x10-0x20", "-1000", "1000--2000", "g000-h000"] {
            #expect(CleanPages.cleanMappings(smaps: bounds + " r-xp 00000000 fe:00 1 /x" + fields).isEmpty, "\(bounds)")
        }
        #expect(CleanPages.cleanMappings(smaps: "ffffffffffff0000-ffffffffffffffff r-xp 00000000 fe:00 1 /x" + fields)
            == [.init(start: 0xFFFF_FFFF_FFFF_0000, end: .max)])
    }

    @Test func aMappingWithAFieldMissingIsNotClean() {
        let head = "7f0000000000-7f0000100000 r-xp 00000000 fe:00 202 /usr/lib/libx.so\n"
        let fields = ["Anonymous:             0 kB", "Swap:                  0 kB"]
        #expect(CleanPages.cleanMappings(smaps: head + fields.joined(separator: "\n")).count == 1)
        // A kernel or a truncated read without one of them tells nothing about that kind of page: not taken as 0.
        for missing in fields.indices {
            let text = head + fields.enumerated().filter { $0.offset != missing }.map(\.element).joined(separator: "\n")
            #expect(CleanPages.cleanMappings(smaps: text).isEmpty, "without \(fields[missing])")
        }
    }

    @Test func aPageCopiedAfterSmapsWasReadKeepsItsData() throws {
        // The list is taken first, while every page is the file's.
        let smaps = try CleanPages.readSmaps()
        let stale = CleanPages.cleanMappings(smaps: smaps)
        // The test binary's ELF header (its mapping at file offset 0), read-only: byte 15 is padding nothing reads.
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let line = try #require(smaps.split(separator: "\n").first { $0.hasSuffix(" " + executable) && $0.contains(" 00000000 ") })
        let start = try #require(line.split(separator: "-").first.flatMap { UInt($0, radix: 16) })
        let header = try #require(UnsafeMutablePointer<UInt8>(bitPattern: start))
        try #require(Array(UnsafeBufferPointer(start: header, count: 4)) == [0x7F, 0x45, 0x4C, 0x46])
        let page = UInt(sysconf(Int32(_SC_PAGESIZE))), original = header[15]
        try #require(stale.contains { $0.start <= start && start + page <= $0.end })
        // Then the page is written, as a loader relocating text or a debugger setting a breakpoint does.
        func protect(_ flags: Int32) -> Bool { mprotect(UnsafeMutableRawPointer(header), Int(page), flags) == 0 }
        try #require(protect(PROT_READ | PROT_WRITE))
        header[15] = original ^ 0x5A
        #expect(protect(PROT_READ))
        defer {
            _ = protect(PROT_READ | PROT_WRITE)
            header[15] = original
            _ = protect(PROT_READ)
        }
        let released = try CleanPages.releaseSegments(in: stale)
        #expect(released > 0)
        // Released with the others, the page would be the file's again and the write gone.
        #expect(header[15] == original ^ 0x5A)
    }

    protocol Shape: Sendable { func area() -> Double }
    struct Square: Shape { var side: Double; func area() -> Double { side * side } }
    final class Circle: Shape { let radius: Double; init(radius: Double) { self.radius = radius }; func area() -> Double { 3 * radius * radius } }
    static let shapes: [any Shape] = [Square(side: 2), Circle(radius: 1)]

    @Test func aRealReleaseDropsResidentPagesAndTheProcessRunsOn() throws {
        // Code and constants this process ran to get here are resident; afterwards some are not.
        let (before, after) = try CleanPages.release()
        #expect(before > 0 && after > 0)
        // Not after < before: the tests running beside this one allocate meanwhile. What was released is counted.
        #expect(try CleanPages.releaseSegments(in: CleanPages.cleanMappings(smaps: CleanPages.readSmaps())) > 0)
        // Relocated data (witness tables, class metadata, a static array) and code all still work after it.
        #expect(Self.shapes.map { $0.area() } == [4, 3])
        let decoded = try JSONDecoder().decode([String: Int].self, from: Data(#"{"a":1}"#.utf8))
        #expect(decoded == ["a": 1])
        #expect(CleanPages.residentBytes() > 0)
    }

    @Test func residentBytesAgreeWithTheKernelsStatus() throws {
        // VmRSS from /proc/self/status, read another way, against statm's resident pages.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(line.split(separator: " ").dropFirst().first.flatMap { Double($0) })
        let plain = Double(CleanPages.residentBytes())
        #expect(abs(plain - kilobytes * 1024) < 8 * 1_048_576)
    }
}
