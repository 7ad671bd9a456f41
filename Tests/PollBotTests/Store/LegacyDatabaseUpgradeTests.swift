import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A database written by the code before the engine/app split (one list of steps counted in `user_version`, 3)
/// opens in place: each module gets its version, and nothing in flight or linked is lost.
///
/// The database was made at commit 2af1cd6 and is kept as its SQL dump, Fixtures/legacy.sql (the project commits no
/// database or key files); Fixtures/legacy-README.txt lists every row. Each test rebuilds it in a fresh directory.
@Suite struct LegacyDatabaseUpgradeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let host = "http://127.0.0.1:5000"
    static let user: Int64 = 1001

    /// The master key the fixture was sealed with: a test vector, sealing only the fixture's made-up API keys.
    static let masterKeyHex = "0e20d94263db420c6bdd3d2733c60af0619333c09ebf9bf819d7dc721162c9d8"

    /// The fixture rebuilt in a fresh directory from its dump, with its key written at mode 0600 as `KeyRing` demands.
    struct Copy {
        let directory: TemporaryDirectory
        var database: String { directory.file("legacy.sqlite3") }
        var keyFile: String { directory.file("master.key") }

        init() throws {
            directory = try TemporaryDirectory()
            let dump = try String(contentsOf: fixtures.appendingPathComponent("legacy.sql"), encoding: .utf8)
            try SQLiteDatabase(path: database).execute(dump)
            var key = [UInt8]()
            var hex = Substring(masterKeyHex)
            while !hex.isEmpty {
                key.append(UInt8(hex.prefix(2), radix: 16)!)
                hex = hex.dropFirst(2)
            }
            let fd = open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            #expect(fd >= 0 && write(fd, key, key.count) == key.count)
            close(fd)
        }
    }

    /// Every (module, version) row, read over a connection of its own.
    static func schemaVersions(_ path: String) throws -> [String: Int] {
        let db = try SQLiteDatabase(path: path)
        return Dictionary(uniqueKeysWithValues: try db.query("SELECT module, version FROM schema_versions") { ($0.text(0), $0.int(1)) })
    }

    /// What the test compares before and after a second open: the rows that matter, as stored.
    static func snapshot(_ store: BotStore) async throws -> [String] {
        let accounts = try await store.accounts(of: user).map { "\($0.name) \($0.host) \($0.sealed.keyID) \($0.sealed.box.base64EncodedString())" }
        let inbox = try await store.pendingInbox().map { "\($0.update.updateID)" }
        let outbox = try await store.pendingOutbox().map { "\($0.id) \($0.message.method) \($0.message.payload.base64EncodedString())" }
        var meta: [String] = []
        for key in ["offset", "account_seal_format"] { meta.append("\(key)=\(try await store.meta(key) ?? "nil")") }
        return accounts + inbox + outbox + meta + [try await store.activeAccount(of: user)?.name ?? "none"]
    }

    /// Guards the other tests: they prove an upgrade only while the fixture really is from before per-module versions.
    @Test func theFixtureIsFromBeforePerModuleVersions() throws {
        let copy = try Copy()
        defer { copy.directory.remove() }
        let db = try SQLiteDatabase(path: copy.database)
        #expect(try db.query("PRAGMA user_version") { $0.int(0) } == [3])
        #expect(try db.query("SELECT count(*) FROM sqlite_master WHERE name = 'schema_versions'") { $0.int(0) } == [0])
        #expect(try db.query("SELECT count(*) FROM accounts") { $0.int(0) } == [2])
    }

    @Test func aDatabaseFromBeforeTheSplitUpgradesInPlace() async throws {
        let copy = try Copy()
        defer { copy.directory.remove() }
        let vault = try KeyRing.load(keyFile: copy.keyFile)
        let store = try await TraderApp.openStore(path: copy.database, vault: vault)

        #expect(try Self.schemaVersions(copy.database)
            == Dictionary(uniqueKeysWithValues: ([Schema.botKit] + TraderApp.schemas).map { ($0.module, $0.steps.count) }))
        #expect(try await store.schemaVersion() == Schema.botKit.steps.count)
        #expect(try await store.schemaVersion(of: "pollbot") == Schema.pollBot.steps.count)

        // The update that was pending is still pending, and its sealed payload opens with the same key.
        let pending = try await store.pendingInbox()
        #expect(pending.map(\.update.updateID) == [503])
        #expect(pending.first?.update.message?.text == "/funds")
        #expect(pending.first?.update.message?.from?.id == Self.user)
        #expect(try await store.isHandled(updateID: 501))
        #expect(try await store.isHandled(updateID: 502))
        // The reply that was queued is still queued.
        let outbox = try await store.pendingOutbox()
        #expect(outbox.map(\.message) == [.text("fixture reply to /help", to: Self.user)])
        #expect(outbox.map(\.attempts) == [0])
        #expect(try await store.pollOffset() == 504)

        // Both accounts, their keys opening to what was linked, the one chosen last still active.
        let accounts = try await store.accounts(of: Self.user)
        #expect(accounts.map(\.name) == ["main", "second"])
        #expect(accounts.map(\.keyHint) == ["0001", "0002"])
        #expect(accounts.allSatisfy { $0.host == Self.host && $0.sealed.keyID == "3b96bc9117009631" })
        let keys = try accounts.map { try vault.open($0.sealed, userID: Self.user, account: $0.name, host: $0.host) }
        #expect(keys == ["fixture-key-main-0001", "fixture-key-second-0002"])
        #expect(try await store.activeAccount(of: Self.user)?.name == "second")
        // The command log row written before the split is still there.
        #expect(try await store.commandLog().map(\.command) == ["/accounts"])
    }

    @Test func openingTheUpgradedDatabaseAgainChangesNothing() async throws {
        let copy = try Copy()
        defer { copy.directory.remove() }
        let vault = try KeyRing.load(keyFile: copy.keyFile)
        let first: [String]
        do {
            let store = try await TraderApp.openStore(path: copy.database, vault: vault)
            first = try await Self.snapshot(store)
        }
        let versions = try Self.schemaVersions(copy.database)
        let again = try await TraderApp.openStore(path: copy.database, vault: vault)
        #expect(try await Self.snapshot(again) == first)
        #expect(try Self.schemaVersions(copy.database) == versions)
        #expect(first.contains("503"))
    }
}
