/// One finding of `pollbot doctor`: what was checked, what was found, and how to fix it.
public struct DoctorLine: Sendable, Equatable {
    /// `ok` and `warn` let the bot run; `fail` means it would not start or not work.
    public enum Status: String, Sendable {
        case ok, warn, fail = "FAIL"
    }

    public var status: Status
    /// A short name: `config`, `key file`, `database`, `telegram`, `broker`, `admin port`, `time zone`, `charts`.
    public var check: String
    /// What was found; never a token or a key.
    public var found: String
    /// What to do about it; nil when nothing needs doing.
    public var fix: String?

    public init(_ status: Status, _ check: String, _ found: String, fix: String? = nil) {
        self.status = status
        self.check = check
        self.found = found
        self.fix = fix
    }

    /// `FAIL telegram: 401 Unauthorized; fix: ...`, status padded so the checks line up.
    public var text: String {
        let head = status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0) + " \(check): \(found)"
        return fix.map { head + "; fix: " + $0 } ?? head
    }
}

/// Every line of one doctor run.
public struct DoctorReport: Sendable {
    public var lines: [DoctorLine]

    /// 0 when every check is ok or warn, 1 otherwise.
    public var exitCode: Int32 { lines.contains { $0.status == .fail } ? 1 : 0 }

    /// The line of `check`, for tests and callers that look for one finding.
    public func line(_ check: String) -> DoctorLine? { lines.first { $0.check == check } }
}
