import Foundation

/// How many handled commands and button presses failed lately, from the command log (for warnings to admins).
extension BotStore {
    /// Commands logged since `since` and how many of them ended in an error; refusals (access, rate limits, usage,
    /// stale) are answers, not failures.
    public func commandOutcomes(since: Date) throws -> (total: Int, failed: Int) {
        let row = try db.query("""
            SELECT count(*), COALESCE(sum(outcome = 'error'), 0) FROM command_log WHERE started_at >= ?
            """, .real(since.timeIntervalSince1970)) { ($0.int(0), $0.int(1)) }.first
        return (row?.0 ?? 0, row?.1 ?? 0)
    }
}
