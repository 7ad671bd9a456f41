import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct VaultTests {
    let apiKey = "oa_live_4f1e9c2b7d6a5e8f0c3b2a1d9e8f7a6b"

    func makeKey(_ directory: TemporaryDirectory, _ name: String = "master.key") throws -> (String, MasterKey) {
        let path = directory.file(name)
        return (path, try MasterKey.generate(to: path))
    }

    @Test func sealsAndOpensForTheSameUserAndAccountOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        let sealed = vault.seal(apiKey, userID: 42, account: "main")
        #expect(try vault.open(sealed, userID: 42, account: "main") == apiKey)
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 43, account: "main") }
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 42, account: "other") }
        // A fresh nonce each time: the same key never seals to the same bytes.
        #expect(vault.seal(apiKey, userID: 42, account: "main").box != sealed.box)
    }

    @Test func aTamperedBoxOrAnotherKeyFailsToOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let vault = Vault(current: try makeKey(directory).1)
        var sealed = vault.seal(apiKey, userID: 1, account: "main")
        let other = Vault(current: try makeKey(directory, "other.key").1)
        #expect(throws: VaultError.self) { try other.open(SealedSecret(box: sealed.box, keyID: other.current.id), userID: 1, account: "main") }
        sealed.box[30] ^= 0x01
        #expect(throws: VaultError.self) { try vault.open(sealed, userID: 1, account: "main") }
    }

    @Test func keyFilesAreCheckedBeforeUse() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (path, _) = try makeKey(directory)
        #expect(throws: ConfigError.self) { _ = try MasterKey.generate(to: path) }  // never overwrites
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        chmod(path, 0o644)
        #expect(throws: ConfigError.self) { _ = try MasterKey.load(from: path) }
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
            let store = try BotStore(path: dbPath)
            try await store.saveAccount(LinkedAccount(userID: 7, name: "main", host: "http://127.0.0.1:5000",
                                                      sealed: vault.seal(apiKey, userID: 7, account: "main"),
                                                      keyHint: String(apiKey.suffix(4)), linkedAt: Date()))
        }
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes += (try? Data(contentsOf: URL(fileURLWithPath: dbPath + suffix))) ?? Data() }
        #expect(!bytes.isEmpty)
        #expect(bytes.range(of: Data(apiKey.utf8)) == nil)
        #expect(bytes.range(of: Data(apiKey.prefix(12).utf8)) == nil)
    }

    @Test func rotationInterruptedAtAnyStepLeavesEveryRowOpenable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (keyFile, oldKey) = try makeKey(directory)
        let (newKeyFile, newKey) = try makeKey(directory, "new.key")
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let old = Vault(current: oldKey)
        for user in Int64(1)...5 {
            try await store.saveAccount(LinkedAccount(userID: user, name: "main", host: "h", sealed: old.seal("key-\(user)", userID: user, account: "main"),
                                                      keyHint: "er-\(user)", linkedAt: Date()))
        }
        func openAll(_ vault: Vault) async throws -> [String] {
            var keys: [String] = []
            for user in Int64(1)...5 {
                let account = try #require(try await store.accounts(of: user).first)
                keys.append(try vault.open(account.sealed, userID: user, account: "main"))
            }
            return keys
        }
        let expected = (1...5).map { "key-\($0)" }

        // 1. The transaction fails half-way (third row): it rolls back, every row still opens with the old key.
        var seen = 0
        await #expect(throws: (any Error).self) {
            _ = try await store.resealAllAccounts { account in
                seen += 1
                if seen == 3 { throw CancellationError() }
                return Vault(current: newKey).seal("x", userID: account.userID, account: account.name)
            }
        }
        #expect(try await openAll(try KeyRing.load(keyFile: keyFile)) == expected)

        // 2. Re-sealed but the key files not yet renamed: key_file + key_file.next open everything.
        try FileManager.default.copyItem(atPath: newKeyFile, toPath: keyFile + ".next")
        _ = try await store.resealAllAccounts { account in
            Vault(current: newKey).seal(try old.open(account.sealed, userID: account.userID, account: account.name),
                                        userID: account.userID, account: account.name)
        }
        #expect(try await openAll(try KeyRing.load(keyFile: keyFile)) == expected)

        // 3. Running rotate-key again finishes: the new key is current and opens every row.
        #expect(try await KeyRing.rotate(store: store, keyFile: keyFile, newKeyFile: newKeyFile) == 5)
        let finished = try KeyRing.load(keyFile: keyFile)
        #expect(finished.current.id == newKey.id)
        #expect(try await openAll(Vault(current: try MasterKey.load(from: keyFile))) == expected)
    }
}
