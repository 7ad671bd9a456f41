@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// rotate-key stopped at every step: the bot still opens every row, and running rotate-key again finishes the job.
@Suite struct KeyRotationTests {
    let host = "http://127.0.0.1:5000"
    let users: [Int64] = [1, 2, 3]

    /// A database with three linked accounts and one pending /link update, all sealed with the old key.
    struct Setup {
        let directory: TemporaryDirectory
        let keyFile: String
        let newKeyFile: String
        let oldKey: MasterKey
        let newKey: MasterKey
        var dbPath: String { directory.file("db.sqlite3") }
    }

    func makeSetup() async throws -> Setup {
        let directory = try TemporaryDirectory()
        let keyFile = directory.file("master.key"), newKeyFile = directory.file("new.key")
        let setup = Setup(directory: directory, keyFile: keyFile, newKeyFile: newKeyFile,
                          oldKey: try MasterKey.generate(to: keyFile), newKey: try MasterKey.generate(to: newKeyFile))
        let old = Vault(current: setup.oldKey)
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: old)
        for user in users {
            try await store.saveAccount(LinkedAccount(userID: user, name: "main", host: host,
                                                      sealed: old.seal("key-\(user)", userID: user, account: "main", host: host),
                                                      keyHint: "ey-\(user)", linkedAt: Date()))
        }
        let json = #"{"update_id": 77, "message": {"message_id": 5, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "/link pending-key"}}"#
        _ = try await store.record([try JSONDecoder().decode(UpdateSlot.self, from: Data(json.utf8))])
        return setup
    }

    /// What the bot does at start: load the key ring, open the store; then every row must open.
    func botStartsAndOpensEveryRow(_ setup: Setup, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let ring = try KeyRing.load(keyFile: setup.keyFile)
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: ring)
        for user in users {
            let account = try #require(try await store.accounts(of: user).first, sourceLocation: sourceLocation)
            #expect(try ring.open(account.sealed, userID: user, account: "main", host: host) == "key-\(user)", sourceLocation: sourceLocation)
        }
        let pending = try await store.pendingInbox()
        #expect(pending.map(\.update.message?.text) == ["/link pending-key"], sourceLocation: sourceLocation)
    }

    /// Runs rotate-key again and checks the end state: only the new key, every row sealed with it, no `.old` or `.next`.
    func rotateAgainFinishes(_ setup: Setup, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: try KeyRing.load(keyFile: setup.keyFile))
        _ = try await KeyRing.rotate(store: store, keyFile: setup.keyFile, newKeyFile: setup.newKeyFile)
        #expect(try MasterKey.load(from: setup.keyFile).id == setup.newKey.id, sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: setup.keyFile + ".next"), sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: setup.keyFile + ".old"), sourceLocation: sourceLocation)
        #expect(try await store.keyIDsInUse() == [setup.newKey.id], sourceLocation: sourceLocation)
        // The new key alone opens everything, inbox included.
        let onlyNew = Vault(current: try MasterKey.load(from: setup.keyFile))
        let reopened = try await TraderApp.openStore(path: setup.dbPath, vault: onlyNew)
        for user in users {
            let account = try #require(try await reopened.accounts(of: user).first, sourceLocation: sourceLocation)
            #expect(try onlyNew.open(account.sealed, userID: user, account: "main", host: host) == "key-\(user)", sourceLocation: sourceLocation)
        }
        #expect(try await reopened.pendingInbox().count == 1, sourceLocation: sourceLocation)
    }

    /// rotate-key's first two steps: `.next` written, every row re-sealed with it, no file renamed yet.
    func resealWithoutRenaming(_ setup: Setup) async throws -> (BotStore, BotStore.Resealed) {
        try setup.newKey.write(to: setup.keyFile + ".next")
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: try KeyRing.load(keyFile: setup.keyFile))
        return (store, try await store.resealEverything(from: try KeyRing.load(keyFile: setup.keyFile), to: Vault(current: setup.newKey)))
    }

    @Test func aFailedResealRollsBackAndEveryRowStillOpens() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        let store = try await TraderApp.openStore(path: setup.dbPath)
        var seen = 0
        await #expect(throws: (any Error).self) {
            _ = try await store.resealAllAccounts { account in
                seen += 1
                if seen == 2 { throw CancellationError() }
                return Vault(current: setup.newKey).seal("x", userID: account.userID, account: account.name, host: account.host)
            }
        }
        try await botStartsAndOpensEveryRow(setup)
    }

    @Test func stoppedAfterWritingNext() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        try setup.newKey.write(to: setup.keyFile + ".next")
        try await botStartsAndOpensEveryRow(setup)
        try await rotateAgainFinishes(setup)
    }

    @Test func stoppedAfterResealingBeforeAnyRename() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        let (store, counts) = try await resealWithoutRenaming(setup)
        #expect(counts.rows == 3 && counts.inbox == 1)
        #expect(try await store.keyIDsInUse() == [setup.newKey.id])
        try await botStartsAndOpensEveryRow(setup)
        try await rotateAgainFinishes(setup)
    }

    @Test func stoppedBetweenTheTwoRenames() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        _ = try await resealWithoutRenaming(setup)
        #expect(rename(setup.keyFile, setup.keyFile + ".old") == 0)
        // key_file is missing now: the ring takes `.next`, which every row uses.
        #expect(try KeyRing.load(keyFile: setup.keyFile).current.id == setup.newKey.id)
        try await botStartsAndOpensEveryRow(setup)
        try await rotateAgainFinishes(setup)
    }

    @Test func stoppedAfterBothRenamesTheOldKeyIsRetiredByTheNextRun() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        _ = try await resealWithoutRenaming(setup)
        #expect(rename(setup.keyFile, setup.keyFile + ".old") == 0)
        #expect(rename(setup.keyFile + ".next", setup.keyFile) == 0)
        try await botStartsAndOpensEveryRow(setup)
        try await rotateAgainFinishes(setup)
    }

    @Test func aWholeRotationResealsTheInboxAndRemovesTheOldKey() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: try KeyRing.load(keyFile: setup.keyFile))
        let done = try await KeyRing.rotate(store: store, keyFile: setup.keyFile, newKeyFile: setup.newKeyFile)
        #expect(done == KeyRing.Rotation(rows: 3, inboxRows: 1, retiredOldKey: true))
        try await rotateAgainFinishes(setup)
    }

    @Test func anAccountRowNoKeyOpensDoesNotBlockTheRotation() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: try KeyRing.load(keyFile: setup.keyFile))
        // Sealed for another host, as an edited host column or a never-migrated row leaves it.
        let stray = Vault(current: setup.oldKey).seal("key-9", userID: 9, account: "main", host: "http://elsewhere:1")
        try await store.saveAccount(LinkedAccount(userID: 9, name: "main", host: host, sealed: stray, keyHint: "ey-9", linkedAt: Date()))
        let done = try await KeyRing.rotate(store: store, keyFile: setup.keyFile, newKeyFile: setup.newKeyFile)
        #expect(done.rows == 3 && done.inboxRows == 1)
        #expect(done.unopenable == ["user 9 account main"])
        // Nothing needs the old key any more: the unusable row names no key and holds none back.
        #expect(done.retiredOldKey)
        #expect(try await store.keyIDsInUse() == [setup.newKey.id, AccountRows.unopenableKeyID])
        let row = try #require(try await store.accounts(of: 9).first)
        #expect(throws: VaultError.self) { _ = try KeyRing.load(keyFile: setup.keyFile).open(row.sealed, userID: 9, account: "main", host: host) }
    }

    @Test func anOldKeyStillNeededIsKept() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        // The old key is `.old` but a row still uses it (restored from a backup, say): it must not be deleted.
        #expect(rename(setup.keyFile, setup.keyFile + ".old") == 0)
        try setup.newKey.write(to: setup.keyFile)
        let store = try await TraderApp.openStore(path: setup.dbPath, vault: try KeyRing.load(keyFile: setup.keyFile))
        #expect(try await KeyRing.retireUnusedOldKey(store: store, keyFile: setup.keyFile) == false)
        #expect(FileManager.default.fileExists(atPath: setup.keyFile + ".old"))
    }

    @Test func aStoreOpenedWithoutTheAppsTablesCannotRotateOrRetireAKey() async throws {
        let setup = try await makeSetup()
        defer { setup.directory.remove() }
        // The engine's own store knows nothing of the accounts table: rotating through it would re-seal no account.
        let engineOnly = try BotStore(path: setup.dbPath, vault: try KeyRing.load(keyFile: setup.keyFile))
        let appModules = TraderApp.schemas.map(\.module).sorted()
        #expect(try await engineOnly.modulesNotOpened() == appModules)
        await #expect { _ = try await KeyRing.rotate(store: engineOnly, keyFile: setup.keyFile, newKeyFile: setup.newKeyFile) } throws: {
            "\($0)".contains("tables of \(appModules.joined(separator: ", ")) that this store was not opened with")
        }
        #expect(!FileManager.default.fileExists(atPath: setup.keyFile + ".next"))
        // An old key file beside it is kept, whatever the engine's own rows say.
        try setup.newKey.write(to: setup.keyFile + ".old")
        #expect(try await KeyRing.retireUnusedOldKey(store: engineOnly, keyFile: setup.keyFile) == false)
        #expect(FileManager.default.fileExists(atPath: setup.keyFile + ".old"))
        try await botStartsAndOpensEveryRow(setup)
    }
}
