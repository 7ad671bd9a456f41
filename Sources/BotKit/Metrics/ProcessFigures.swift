import Foundation

/// The process as the kernel sees it: resident memory, CPU time and open descriptors, read from /proc where
/// there is one (Linux) and from getrusage for CPU time everywhere.
public enum ProcessFigures {
    /// Resident set size in bytes, or nil without /proc.
    public static func residentBytes() -> Double? {
        // statm's second field is resident pages.
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
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
