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
            // Not String(format:): it loads CoreFoundation's formatter, and this runs at every start.
            return hash.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// Writes a new random key with mode 0600; refuses to overwrite an existing file.
    public static func generate(to path: String) throws -> MasterKey {
        let key = MasterKey(bytes: SecretBytes(random: size))
        try key.write(to: path)
        return key
    }

    /// Writes the key to a new file with mode 0600, synced to disk; never overwrites.
    public func write(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw ConfigError("\(path) already exists; pollbot keygen never overwrites a key") }
            throw ConfigError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = bytes.withBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == Self.size, fsync(fd) == 0 else { throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Loads a key file, refusing a missing file, a symbolic link, another owner's file, a wrong size,
    /// or one that group or others may read or anyone may write.
    ///
    /// The checks run with fstat on the descriptor that is read, so the file cannot be swapped between check and read.
    /// A file directly in `$CREDENTIALS_DIRECTORY` skips the owner and mode checks: systemd hands it over root-owned
    /// with an ACL for the service, in a read-only directory only that service may open.
    public static func load(from path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MasterKey {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw ConfigError("the master key \(path) does not exist; create it with: pollbot keygen --out \(path)")
            case ELOOP: throw ConfigError("the master key \(path) is a symbolic link; set [security] key_file to the file itself")
            default: throw ConfigError("cannot read the master key \(path): \(String(cString: strerror(errno)))")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ConfigError("cannot read the master key \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ConfigError("the master key \(path) is not a regular file; create one with: pollbot keygen --out FILE")
        }
        let fromSystemd = environment["CREDENTIALS_DIRECTORY"].map { !$0.isEmpty && (path as NSString).deletingLastPathComponent == $0 } ?? false
        guard fromSystemd || info.st_uid == geteuid() else {
            throw ConfigError("the master key \(path) belongs to uid \(info.st_uid), not to the user running pollbot (uid \(geteuid())); run: chown \(geteuid()) \(path)")
        }
        guard fromSystemd || info.st_mode & 0o177 == 0 else {
            throw ConfigError("the master key \(path) has mode \(String(info.st_mode & 0o777, radix: 8)); only its owner may read it: run: chmod 600 \(path)")
        }
        guard info.st_size == size else {
            throw ConfigError("the master key \(path) has \(info.st_size) bytes, not \(size); create a new one with: pollbot keygen --out FILE")
        }
        // Read straight into guarded memory: the key never sits in an ordinary buffer.
        let bytes = try SecretBytes(count: size) { buffer in
            guard read(fd, buffer.baseAddress, size) == size else { throw ConfigError("cannot read the master key \(path)") }
        }
        return MasterKey(bytes: bytes)
    }
}
