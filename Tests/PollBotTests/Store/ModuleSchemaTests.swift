import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The engine and the app each own a schema and a version in `schema_versions`.
@Suite struct ModuleSchemaTests {
    @Test func aFreshDatabaseGetsBothModulesAtTheirLatestVersion() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        let store = try await TraderApp.openStore(path: path)
        #expect(try await store.schemaVersion(of: Schema.botKit.module) == Schema.botKit.steps.count)
        #expect(try await store.schemaVersion(of: Schema.pollBot.module) == Schema.pollBot.steps.count)
        let db = try SQLiteDatabase(path: path)
        let rows = try db.query("SELECT module, version FROM schema_versions ORDER BY module") { "\($0.text(0))=\($0.int(1))" }
        #expect(rows == ([Schema.botKit] + TraderApp.schemas).map { "\($0.module)=\($0.steps.count)" }.sorted())
        // The app's tables are there: an account can be stored.
        #expect(try db.query("SELECT count(*) FROM accounts") { $0.int(0) } == [0])
        // An older pollbot, which counts one list of 3 steps in user_version, refuses it by name instead of failing.
        #expect(try db.query("PRAGMA user_version") { $0.int(0) } == [1000])
    }

    @Test func aLegacyDatabaseNewerThanAnyLegacyPollbotIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        try SQLiteDatabase(path: path).execute("PRAGMA user_version = 4")
        await #expect { _ = try await TraderApp.openStore(path: path) } throws: {
            "\($0)".contains("database schema version 4 is newer than this pollbot (3)")
        }
    }

    @Test(arguments: [Schema.botKit, Schema.pollBot])
    func aDatabaseWhoseModuleIsNewerThanTheCodeIsRefusedWithAClearMessage(schema: Schema) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        _ = try await TraderApp.openStore(path: path)
        let newer = schema.steps.count + 1
        // As a later pollbot would leave it.
        _ = try SQLiteDatabase(path: path).run("UPDATE schema_versions SET version = ? WHERE module = ?", .integer(Int64(newer)), .text(schema.module))
        await #expect {
            _ = try await TraderApp.openStore(path: path)
        } throws: { error in
            "\(error)".contains("the \(schema.module) tables are at version \(newer), newer than this pollbot (\(schema.steps.count)); upgrade pollbot")
        }
        // Refused before touching anything: the newer version is still recorded.
        let versions = try SQLiteDatabase(path: path).query("SELECT version FROM schema_versions WHERE module = ?", .text(schema.module)) { $0.int(0) }
        #expect(versions == [newer])
    }
}
