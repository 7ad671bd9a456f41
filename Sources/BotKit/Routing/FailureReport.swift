import Logging

/// A failure shown to a user with an error id that is also in the log, so the owner can find it.
public struct FailureReport: Sendable {
    public let errorID: String
    public let html: String

    /// Logs `error` under a new id and phrases it: a `ReportableError` says what to do, anything else is "something failed".
    public init(_ error: any Error, doing what: String, logger: Logger, metadata: Logger.Metadata = [:]) {
        errorID = ErrorID.make()
        var metadata = metadata
        metadata["error_id"] = "\(errorID)"
        metadata["error"] = "\(error)"
        if let reportable = error as? any ReportableError {
            logger.warning("\(what) failed", metadata: metadata)
            html = "\(reportable.userHTML)\n(error <code>\(errorID)</code>)"
        } else {
            logger.error("\(what) failed", metadata: metadata)
            html = "Sorry, \(HTML.escape(what)) failed (error <code>\(errorID)</code>). Try again in a moment; if it keeps failing, give the bot's owner this id."
        }
    }
}
