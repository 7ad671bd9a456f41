/// A failure the user can fix; its text is shown as it is (it must already be HTML-escaped).
public struct UserError: Error, Sendable {
    public var html: String
    public init(_ html: String) { self.html = html }
}
