import CSodium
import Foundation

/// A broker API key sealed for one user's account.
public struct SealedSecret: Sendable, Equatable {
    /// 24-byte nonce followed by the ciphertext and its tag.
    public var box: Data
    /// The fingerprint of the master key that sealed it.
    public var keyID: String

    public init(box: Data, keyID: String) {
        self.box = box
        self.keyID = keyID
    }
}

/// Why a sealed secret did not open.
public enum VaultError: Error, CustomStringConvertible, Sendable {
    case unknownKey(String)
    case tampered

    public var description: String {
        switch self {
        case .unknownKey(let id): return "sealed with master key \(id), which is not loaded"
        case .tampered: return "the sealed secret does not open: wrong master key, tampered, or moved to what it was not sealed for"
        }
    }
}

/// Seals and opens secrets with XChaCha20-Poly1305-IETF (libsodium).
///
/// Each seal has a fresh random nonce. The associated data binds the
/// ciphertext to a context (what the secret belongs to: an inbox update, an
/// app's row) and the master key id, so a sealed value copied to another
/// context does not open. The vault
/// holds a keyring: the current key seals, and every loaded key opens, which
/// is what lets a key rotation stop half-way without losing a row.
public struct Vault: Sendable {
    public let current: MasterKey
    private let keys: [String: MasterKey]

    public init(current: MasterKey, others: [MasterKey] = []) {
        Sodium.initialize()
        self.current = current
        var keys = [current.id: current]
        for key in others { keys[key.id] = key }
        self.keys = keys
    }

    /// Seals bytes bound to `context` (what the bytes belong to) and the key id.
    public func seal(_ message: [UInt8], context: String) -> SealedSecret {
        message.withUnsafeBytes { seal($0, context: context) }
    }

    /// Seals guarded bytes without copying them out of guarded memory.
    public func seal(_ secret: SecretBytes, context: String) -> SealedSecret {
        secret.withBytes { seal($0, context: context) }
    }

    private func seal(_ message: UnsafeRawBufferPointer, context: String) -> SealedSecret {
        let nonceSize = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        var nonce = [UInt8](repeating: 0, count: nonceSize)
        randombytes_buf(&nonce, nonceSize)
        let ad = Self.associatedData(context, keyID: current.id)
        var cipher = [UInt8](repeating: 0, count: message.count + Int(crypto_aead_xchacha20poly1305_ietf_ABYTES))
        var cipherLength: UInt64 = 0
        current.bytes.withBytes { key in
            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                &cipher, &cipherLength, message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                ad, UInt64(ad.count), nil, nonce, key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return SealedSecret(box: Data(nonce + cipher.prefix(Int(cipherLength))), keyID: current.id)
    }

    /// Opens bytes sealed for `context`; the caller wipes them when done.
    public func open(_ sealed: SealedSecret, context: String) throws -> [UInt8] {
        try openSecret(sealed, context: context).withBytes { Array($0) }
    }

    /// Opens bytes sealed for `context` straight into guarded memory: no plaintext copy outside it.
    public func openSecret(_ sealed: SealedSecret, context: String) throws -> SecretBytes {
        guard let key = keys[sealed.keyID] else { throw VaultError.unknownKey(sealed.keyID) }
        let nonceSize = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        let tagSize = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
        let box = [UInt8](sealed.box)
        guard box.count >= nonceSize + tagSize else { throw VaultError.tampered }
        let nonce = Array(box[..<nonceSize])
        let cipher = Array(box[nonceSize...])
        let ad = Self.associatedData(context, keyID: sealed.keyID)
        return try SecretBytes(count: cipher.count - tagSize) { plain in
            var length: UInt64 = 0
            let result = key.bytes.withBytes { raw in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    plain.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, nil, cipher, UInt64(cipher.count),
                    ad, UInt64(ad.count), nonce, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            guard result == 0, Int(length) == plain.count else { throw VaultError.tampered }
        }
    }

    static func associatedData(_ context: String, keyID: String) -> [UInt8] {
        Array("\(context)|key=\(keyID)".utf8)
    }
}
