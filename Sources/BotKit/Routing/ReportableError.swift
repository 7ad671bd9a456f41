/// A failure the router reports with an error id that is also logged; its text is HTML.
public protocol ReportableError: Error {
    /// What the user reads: what went wrong and what to do.
    var userHTML: String { get }
}
