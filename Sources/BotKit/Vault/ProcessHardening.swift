import CSodium

/// Process-wide protection of key material, set once at the start of the commands that hold keys.
public enum ProcessHardening {
    /// Makes the process non-dumpable (no core file, no ptrace or /proc/PID/mem by other processes of the same user);
    /// returns false when the kernel refused. A no-op returning true off Linux.
    @discardableResult
    public static func forbidCoreDumps() -> Bool {
        #if os(Linux)
        return pollbot_set_nondumpable() == 0 && pollbot_is_dumpable() == 0
        #else
        return true
        #endif
    }
}
