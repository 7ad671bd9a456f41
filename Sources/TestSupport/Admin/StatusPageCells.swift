import Foundation

/// Reads the status page as a test or a browser check does: a figure by the id of its cell.
public enum StatusPageCells {
    /// The text of the element with `id` (a value cell of the page), or nil when there is none.
    public static func value(_ id: String, in html: String) -> String? {
        guard let regex = try? Regex("id=\"\(id)\"[^>]*>([^<]*)<"), let match = html.firstMatch(of: regex) else { return nil }
        return match.output[1].substring.map(String.init)
    }
}
