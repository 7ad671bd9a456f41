import CSodium
import Foundation

/// The 32-byte key that seals broker API keys, read from `[security] key_file`.
public struct MasterKey: Sendable {
    public static let size = 32
    let bytes: SecretBytes
    /// A short public fingerprint naming the key in the database (never the key itself).
    public let id: String

    init(bytes: SecretBytes) {
        self.bytes = bytes
        id = bytes.withBytes { raw in
            var hash = [UInt8](repeating: 0, count: 8)
            crypto_generichash(&hash, 8, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(raw.count), nil, 0)
            return hash.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// Writes a new random key with mode 0600; refuses to overwrite an existing file.
    public static func generate(to path: String) throws -> MasterKey {
        let key = MasterKey(bytes: SecretBytes(random: size))
        try key.write(to: path)
        return key
    }

    /// Writes the key to a new file with mode 0600, synced to disk; never overwrites.
    func write(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw ConfigError("\(path) already exists; pollbot keygen never overwrites a key") }
            throw ConfigError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = bytes.withBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == Self.size, fsync(fd) == 0 else { throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Loads a key file, refusing a missing file, a wrong size, or one that group or others can read.
    public static func load(from path: String) throws -> MasterKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigError("the master key \(path) does not exist; create it with: pollbot keygen --out \(path)")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw ConfigError("the master key \(path) is readable by group or others; run: chmod 600 \(path)")
        }
        guard info.st_size == size else {
            throw ConfigError("the master key \(path) has \(info.st_size) bytes, not \(size); create a new one with: pollbot keygen --out FILE")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfigError("cannot read the master key \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: size)
        defer { sodium_memzero(&buffer, size) }
        guard read(fd, &buffer, size) == size else { throw ConfigError("cannot read the master key \(path)") }
        return MasterKey(bytes: SecretBytes(buffer))
    }
}
