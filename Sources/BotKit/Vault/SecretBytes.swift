import CSodium

/// Key material in `sodium_malloc` memory: guard pages around it, locked out of swap, left out of
/// core dumps, read-only once filled, and wiped when released.
public final class SecretBytes: @unchecked Sendable {
    // Read-only after init and never made writable again, so concurrent readers need no lock.
    private let base: UnsafeMutableRawPointer
    public let count: Int

    /// Fills `count` bytes with `fill`, then seals the memory read-only; `fill` writes into guarded memory only.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        Sodium.initialize()
        // sodium_malloc(0) is allowed to fail; one spare byte keeps the empty secret valid.
        guard let memory = sodium_malloc(max(count, 1)) else {
            fatalError("sodium_malloc failed: the process is out of memory or of locked-memory pages (raise LimitMEMLOCK)")
        }
        base = memory
        self.count = count
        // Every property is set: if `fill` throws, deinit runs and frees (and wipes) the memory.
        try fill(UnsafeMutableRawBufferPointer(start: memory, count: count))
        sodium_mprotect_readonly(memory)
    }

    /// Copies `bytes`; the caller wipes its own copy.
    public convenience init(_ bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { $0.copyBytes(from: bytes) }
    }

    /// `count` random bytes from libsodium.
    public convenience init(random count: Int) {
        self.init(count: count) { buffer in
            if let address = buffer.baseAddress { randombytes_buf(address, buffer.count) }
        }
    }

    /// Gives temporary access to the bytes.
    public func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The bytes as UTF-8 text, for the one call that needs a `String` (its copy cannot be wiped: keep it short-lived).
    public func utf8String() -> String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }

    deinit {
        // sodium_free makes the pages writable, zeroes them and unlocks them before releasing.
        sodium_free(base)
    }
}

/// libsodium's one-time initialisation.
enum Sodium {
    private static let initialized: Bool = { sodium_init() >= 0 }()

    static func initialize() {
        precondition(initialized, "libsodium failed to initialise")
    }
}
