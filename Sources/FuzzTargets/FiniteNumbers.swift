#if DEBUG
import Foundation

/// Walks a decoded value and names the first Double in it that is NaN or infinite: a decoder must reject such a
/// number at the boundary, never hand it on as if it were a price.
enum FiniteNumbers {
    static func firstNonFinite(in value: Any, path: String = "", depth: Int = 0) -> String? {
        if let number = value as? Double { return number.isFinite ? nil : "\(path) = \(number)" }
        if let number = value as? Float { return number.isFinite ? nil : "\(path) = \(number)" }
        guard depth < 32 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = firstNonFinite(in: child.value, path: path + "." + (child.label ?? "?"), depth: depth + 1) { return found }
        }
        return nil
    }
}
#endif
