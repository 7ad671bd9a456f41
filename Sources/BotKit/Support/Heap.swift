import CMemory

/// How the process's malloc heap is laid out and trimmed (glibc; elsewhere these do nothing).
public enum Heap {
    /// One malloc arena for every thread. Call it first thing in `main`, before a second thread starts: with an arena
    /// per thread, a burst leaves free memory in each of them, and the peak grew by 3 MB (BENCHMARKS.md, Footprint).
    public static func useOneArena() {
        _ = pollbot_heap_one_arena()
    }

    /// Returns the heap's free pages to the kernel; true when any were.
    @discardableResult
    public static func trim() -> Bool {
        pollbot_heap_trim() != 0
    }
}
