import Foundation

/// What a database file holds, as a backup or a restore checks it: integrity, each module's schema version, rows per table.
public struct DatabaseCheck: Sendable, Equatable {
    /// One table and its row count.
    public struct TableRows: Sendable, Equatable {
        public var table: String
        public var rows: Int
    }

    /// The version of each module's tables (`schema_versions`), by module.
    public var schemaVersions: [String: Int]
    /// Every table but SQLite's own, by name.
    public var tables: [TableRows]
    /// The file's size in bytes.
    public var bytes: Int64

    /// The rows of `table`, or nil when the database has no such table.
    public func rows(in table: String) -> Int? { tables.first { $0.table == table }?.rows }

    /// Lines for an operator: integrity, versions, then one line per table.
    public var report: [String] {
        ["integrity_check: ok",
         "schema versions: " + schemaVersions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
         "size: \(bytes) bytes"]
            + tables.map { "  \($0.table): \($0.rows) rows" }
    }

    /// Checks the database at the connection: `PRAGMA integrity_check` must say ok and `schema_versions` must exist,
    /// so a damaged file or one that is not a bot's database is refused with what is wrong.
    static func run(on connection: BackupConnection) throws -> DatabaseCheck {
        let integrity: [String]
        do {
            integrity = try connection.rows("PRAGMA integrity_check").map { $0.first ?? "" }
        } catch let error as BackupError {
            throw BackupError("\(connection.label) is not a readable SQLite database (\(error.description))")
        }
        guard integrity == ["ok"] else {
            throw BackupError("\(connection.label) failed PRAGMA integrity_check: "
                + integrity.prefix(3).joined(separator: "; ") + (integrity.count > 3 ? "; …" : ""))
        }
        let names = try connection.rows("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """).map { $0[0] }
        guard names.contains("schema_versions") else {
            throw BackupError("\(connection.label) is an SQLite database but not a bot's: it has no schema_versions table")
        }
        var versions: [String: Int] = [:]
        for row in try connection.rows("SELECT module, version FROM schema_versions") {
            guard let version = Int(row[1]) else { throw BackupError("\(connection.label): schema version of \(row[0]) is not a number") }
            versions[row[0]] = version
        }
        let tables = try names.map { name in
            // Names come from sqlite_master of a file under check: quoted so an odd name cannot change the query.
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return TableRows(table: name, rows: Int(try connection.rows("SELECT count(*) FROM \(quoted)").first?.first ?? "") ?? 0)
        }
        return DatabaseCheck(schemaVersions: versions, tables: tables, bytes: DatabaseFiles.size(connection.path))
    }

    /// Refuses a database this binary cannot run: one without the engine's module, or with a module this binary does
    /// not know or at a version newer than its own (a backup from a newer pollbot).
    public func requireCompatible(with schemas: [Schema], path: String) throws {
        let known = Dictionary(([.botKit] + schemas).map { ($0.module, $0.steps.count) }) { first, _ in first }
        guard schemaVersions[Schema.botKit.module] != nil else {
            throw BackupError("\(path) has no \(Schema.botKit.module) schema version: it is not a pollbot database")
        }
        for (module, version) in schemaVersions.sorted(by: { $0.key < $1.key }) {
            guard let mine = known[module] else {
                throw BackupError("\(path) has tables of module \(module), which this pollbot does not know: it comes from a newer build")
            }
            guard version <= mine else {
                throw BackupError("\(path) has \(module) at schema version \(version), newer than this pollbot's \(mine): "
                    + "restore it with the pollbot that made it")
            }
        }
    }
}
