import CSodium

/// Key material in memory that is wiped (sodium_memzero) when released.
public final class SecretBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawBufferPointer

    /// Copies `bytes`; the caller should wipe its own copy.
    public init(_ bytes: some Collection<UInt8>) {
        pointer = .allocate(byteCount: bytes.count, alignment: 16)
        pointer.copyBytes(from: bytes)
    }

    /// `count` random bytes from libsodium.
    public init(random count: Int) {
        Sodium.initialize()
        pointer = .allocate(byteCount: count, alignment: 16)
        randombytes_buf(pointer.baseAddress!, count)
    }

    public var count: Int { pointer.count }

    /// Gives temporary access to the bytes.
    public func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(pointer))
    }

    deinit {
        sodium_memzero(pointer.baseAddress!, pointer.count)
        pointer.deallocate()
    }
}

/// libsodium's one-time initialisation.
enum Sodium {
    private static let initialized: Bool = { sodium_init() >= 0 }()

    static func initialize() {
        precondition(initialized, "libsodium failed to initialise")
    }
}
