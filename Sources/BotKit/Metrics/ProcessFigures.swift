import Foundation

/// The process as the kernel sees it: resident memory, CPU time and open descriptors, read from /proc where
/// there is one (Linux) and from getrusage for CPU time everywhere.
public enum ProcessFigures {
    /// Resident set size in bytes, or nil without /proc. Plain reads, not Foundation's: right after a memory release
    /// (`CleanPages`) whatever code runs is mapped back in, so the code that measures it is kept small.
    public static func residentBytes() -> Double? {
        #if os(Linux)
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // "size resident shared ...", in pages.
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, !fields[1].isEmpty else { return nil }
        var pages = 0
        for digit in fields[1] {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            pages = pages &* 10 &+ Int(digit - UInt8(ascii: "0"))
        }
        return Double(pages) * Double(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return nil
        #endif
    }

    /// `getrusage`'s who for this process (an enum on Glibc, an Int32 elsewhere).
    #if os(Linux)
    private static let selfUsage = RUSAGE_SELF.rawValue
    #else
    private static let selfUsage = RUSAGE_SELF
    #endif

    /// User plus system CPU seconds used so far.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(selfUsage, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Open file descriptors, or nil without /proc.
    public static func openDescriptors() -> Double? {
        // The listing itself holds one descriptor while it runs.
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double(max(0, $0.count - 1)) }
    }

    /// The size in bytes of the file at `path`, 0 when it does not exist (a WAL between checkpoints).
    public static func fileBytes(_ path: String) -> Double {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.doubleValue ?? 0
    }
}
