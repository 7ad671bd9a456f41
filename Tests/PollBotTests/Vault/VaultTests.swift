@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct VaultTests {
    let apiKey = "oa_live_4f1e9c2b7d6a5e8f0c3b2a1d9e8f7a6b"
    let host = "http://127.0.0.1:5000"

    func makeKey(_ directory: TemporaryDirectory, _ name: String = "master.key") throws -> (String, MasterKey) {
        let path = directory.file(name)
        return (path, try MasterKey.generate(to: path))
    }

    @Test func sealsAndOpensForTheSameUserAccountAndHostOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        let sealed = vault.seal(apiKey, userID: 42, account: "main", host: host)
        #expect(try vault.open(sealed, userID: 42, account: "main", host: host) == apiKey)
        #expect(try vault.openSecret(sealed, userID: 42, account: "main", host: host).utf8String() == apiKey)
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 43, account: "main", host: host) }
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 42, account: "other", host: host) }
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 42, account: "main", host: "http://evil.example:5000") }
        // A fresh nonce each time: the same key never seals to the same bytes.
        #expect(vault.seal(apiKey, userID: 42, account: "main", host: host).box != sealed.box)
    }

    @Test func aTamperedBoxOrAnotherKeyFailsToOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        var sealed = vault.seal(apiKey, userID: 1, account: "main", host: host)
        let other = Vault(current: try makeKey(directory, "other.key").1)
        #expect(throws: VaultError.self) {
            try other.open(SealedSecret(box: sealed.box, keyID: other.current.id), userID: 1, account: "main", host: host)
        }
        sealed.box[30] ^= 0x01
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 1, account: "main", host: host) }
    }

    @Test func keyFilesAreCheckedOnTheOpenDescriptorBeforeUse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, key) = try makeKey(directory)
        #expect(throws: ConfigError.self) { _ = try MasterKey.generate(to: path) }  // never overwrites
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        chmod(path, 0o400)
        #expect(try MasterKey.load(from: path).id == key.id)  // read-only for its owner is fine
        for mode: mode_t in [0o644, 0o640, 0o604, 0o700, 0o620] {
            chmod(path, mode)
            #expect(throws: ConfigError.self) { _ = try MasterKey.load(from: path) }
        }
        chmod(path, 0o600)
        // A symbolic link is refused even when it points at a good key: key_file must name the file itself.
        symlink(path, directory.file("link.key"))
        let linkError = #expect(throws: ConfigError.self) { _ = try MasterKey.load(from: directory.file("link.key")) }
        #expect(linkError?.message.contains("symbolic link") == true)
        try FileManager.default.createDirectory(atPath: directory.file("dir.key"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        #expect(throws: ConfigError.self) { _ = try MasterKey.load(from: directory.file("dir.key")) }
        try Data(count: 16).write(to: URL(fileURLWithPath: directory.file("short.key")))
        chmod(directory.file("short.key"), 0o600)
        #expect(throws: ConfigError.self) { _ = try MasterKey.load(from: directory.file("short.key")) }
        #expect(throws: ConfigError.self) { _ = try MasterKey.load(from: directory.file("missing.key")) }
    }

    @Test func theDatabaseNeverHoldsTheKeyInPlaintext() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        let dbPath = directory.file("db.sqlite3")
        do {
            let store = try await TraderApp.openStore(path: dbPath, vault: vault)
            try await store.saveAccount(LinkedAccount(userID: 7, name: "main", host: host,
                                                      sealed: vault.seal(apiKey, userID: 7, account: "main", host: host),
                                                      keyHint: String(apiKey.suffix(4)), linkedAt: Date()))
        }
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: dbPath + suffix))) ?? Data() }
        #expect(!bytes.isEmpty)
        #expect(bytes.range(of: Data(apiKey.utf8)) == nil)
        #expect(bytes.range(of: Data(apiKey.prefix(12).utf8)) == nil)
    }

    @Test func aRowWhoseHostIsEditedNoLongerOpens() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        let dbPath = directory.file("db.sqlite3")
        let store = try await TraderApp.openStore(path: dbPath, vault: vault)
        try await store.saveAccount(LinkedAccount(userID: 7, name: "main", host: host,
                                                  sealed: vault.seal(apiKey, userID: 7, account: "main", host: host),
                                                  keyHint: "7a6b", linkedAt: Date()))
        // What someone with write access to the database would do: point the row at a host they control.
        _ = try SQLiteDatabase(path: dbPath).run("UPDATE accounts SET host = 'http://attacker.example:5000'")
        let edited = try #require(try await store.accounts(of: 7).first)
        #expect(edited.host == "http://attacker.example:5000")
        #expect(throws: VaultError.self) { try vault.open(edited.sealed, userID: 7, account: "main", host: edited.host) }
    }

    @Test func rowsSealedBeforeHostsWereBoundAreResealedOnceAndStillOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        let dbPath = directory.file("db.sqlite3")
        // The old format, made as the previous release did: bound to user and account, not host.
        let legacy = vault.seal(Array(apiKey.utf8), context: "pollbot-account-v1|user=7|account=main")
        do {
            let store = try await TraderApp.openStore(path: dbPath)
            try await store.saveAccount(LinkedAccount(userID: 7, name: "main", host: host, sealed: legacy, keyHint: "7a6b", linkedAt: Date()))
        }
        let store = try await TraderApp.openStore(path: dbPath, vault: vault)
        let resealed = try #require(try await store.accounts(of: 7).first)
        #expect(resealed.sealed != legacy)
        #expect(try vault.open(resealed.sealed, userID: 7, account: "main", host: host) == apiKey)
        // Versioned: opening again does not re-seal again.
        _ = try await TraderApp.openStore(path: dbPath, vault: vault)
        #expect(try await store.accounts(of: 7).first?.sealed == resealed.sealed)
    }
}
