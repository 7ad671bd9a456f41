import Foundation

/// Moving sealed values between master keys (rotate-key) and between sealing formats (migrations).
///
/// Inbox payloads are sealed as `S1` + the 16-character key id + the box, bound
/// to `pollbot-inbox-v1|update=ID`; BotStore+Inbox.swift seals and opens them with the helpers here.
extension BotStore {
    static let sealedPayloadMarker = Data("S1".utf8)
    static let keyIDLength = 16

    static func inboxContext(updateID: Int64) -> String { "pollbot-inbox-v1|update=\(updateID)" }

    /// The sealed secret inside an inbox payload, or nil for a payload stored in the clear.
    static func sealedPayload(_ payload: Data) -> SealedSecret? {
        guard payload.starts(with: sealedPayloadMarker), payload.count > sealedPayloadMarker.count + keyIDLength else { return nil }
        let keyID = String(decoding: payload.dropFirst(sealedPayloadMarker.count).prefix(keyIDLength), as: UTF8.self)
        return SealedSecret(box: Data(payload.dropFirst(sealedPayloadMarker.count + keyIDLength)), keyID: keyID)
    }

    /// The inbox payload that stores `sealed`.
    static func payload(_ sealed: SealedSecret) -> Data {
        sealedPayloadMarker + Data(sealed.keyID.utf8) + sealed.box
    }

    /// What a re-seal changed.
    public struct Resealed: Sendable, Equatable {
        /// The app's sealed rows (linked accounts' keys) re-sealed.
        public var rows = 0
        public var inbox = 0
        /// The app's rows no loaded key opens (tampered, or moved): left unusable, named for the operator.
        public var unopenable: [String] = []
    }

    /// Re-seals the app's sealed rows and every sealed inbox payload, opened with `ring`, with `target`'s current key,
    /// in one transaction (all rows change, or none). A row no key opens cannot block the rotation: the app marks
    /// its own, an inbox row is failed.
    public func resealEverything(from ring: Vault, to target: Vault) throws -> Resealed {
        try db.transaction {
            var done = Resealed()
            for rows in sealedRows {
                let report = try rows.reseal(in: db, from: ring, to: target)
                done.rows += report.resealed
                done.unopenable += report.unopenable
            }
            let rows = try db.query("SELECT update_id, payload FROM inbox") { ($0.int64(0), $0.blob(1)) }
            for (id, payload) in rows {
                guard let sealed = Self.sealedPayload(payload) else { continue }
                let context = Self.inboxContext(updateID: id)
                guard let opened = try? ring.openSecret(sealed, context: context) else {
                    // A payload no loaded key opens could never be handled: failed for the operator, not pending forever.
                    try db.run("""
                        UPDATE inbox SET payload = x'', status = CASE status WHEN 0 THEN 3 ELSE status END,
                            failure = CASE status WHEN 0 THEN ? ELSE failure END
                        WHERE update_id = ?
                        """, .text("stored update cannot be opened with any loaded master key"), .integer(id))
                    continue
                }
                let resealed = target.seal(opened, context: context)
                try db.run("UPDATE inbox SET payload = ? WHERE update_id = ?", .blob(Self.payload(resealed)), .integer(id))
                done.inbox += 1
            }
            return done
        }
    }

    /// The ids of the master keys some stored row was sealed with; a key not in this set may be retired.
    public func keyIDsInUse() throws -> Set<String> {
        var ids = Set<String>()
        for rows in sealedRows { ids.formUnion(try rows.keyIDs(in: db)) }
        for payload in try db.query("SELECT payload FROM inbox", row: { $0.blob(0) }) {
            if let sealed = Self.sealedPayload(payload) { ids.insert(sealed.keyID) }
        }
        return ids
    }
}

/// Rows of the app's that hold secrets sealed with the master key: re-sealed with the inbox when the key rotates.
public protocol SealedRows: Sendable {
    /// Re-seals every row opened with `ring` with `target`'s current key; runs inside the store's transaction.
    func reseal(in db: SQLiteDatabase, from ring: Vault, to target: Vault) throws -> ResealReport
    /// The ids of the master keys these rows are sealed with.
    func keyIDs(in db: SQLiteDatabase) throws -> Set<String>
}

/// What re-sealing one kind of row did.
public struct ResealReport: Sendable, Equatable {
    public var resealed: Int
    /// Rows no loaded key opened, as the operator should read them ("user 7 account main").
    public var unopenable: [String]

    public init(resealed: Int, unopenable: [String]) {
        self.resealed = resealed
        self.unopenable = unopenable
    }
}
