import BotKit
import Foundation
import Logging

/// One call to every linked account at once, for the views that add accounts up (/pnl all, /portfolio).
extension [TradingSession] {
    /// Each session's answer to `body`, in the sessions' order; a failure stays with its account.
    func gather<Value: Sendable>(_ body: @escaping @Sendable (TradingSession) async throws -> Value) async -> [Result<Value, any Error>] {
        await withTaskGroup(of: (Int, Result<Value, any Error>).self) { group in
            for (index, session) in enumerated() {
                group.addTask {
                    do { return (index, .success(try await body(session))) } catch { return (index, .failure(error)) }
                }
            }
            var results = [Result<Value, any Error>?](repeating: nil, count: count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}

extension TradingSession {
    /// "<b>main</b>: what went wrong (error id)" for an account left out of a total; the error is logged under the id.
    func failureLine(_ error: any Error, doing what: String, logger: Logger) -> String {
        let errorID = ErrorID.make()
        logger.warning("\(what): account failed", metadata: ["error_id": "\(errorID)", "account": "\(accountName)", "error": "\(error)"])
        let reason = (error as? any ReportableError)?.userHTML ?? HTML.escape("\(error)")
        return "<b>\(HTML.escape(accountName))</b>: \(reason) (error <code>\(errorID)</code>)"
    }
}
