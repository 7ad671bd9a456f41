#if DEBUG
import Foundation

/// One libFuzzer target: a parser or renderer fed arbitrary bytes, with the invariant it must keep.
///
/// Built only in debug (the targets reach internal API through `@testable import`). The fuzz binary traps on a
/// violation; the regression tests replay the committed corpus and crashes through `check` and expect nil.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case update, arguments, language, html, config, openalgo, chart, blackscholes, tzif

    /// The violated invariant for `data`, or nil when it holds. A trap inside the code under test still traps.
    public func check(_ data: [UInt8]) -> String? {
        do {
            switch self {
            case .update: try UpdateFuzz.run(data)
            case .arguments: try ArgumentsFuzz.run(data)
            case .language: try LanguageFuzz.run(data)
            case .html: try HTMLFuzz.run(data)
            case .config: try ConfigFuzz.run(data)
            case .openalgo: try OpenAlgoFuzz.run(data)
            case .chart: try ChartFuzz.run(data)
            case .blackscholes: try BlackScholesFuzz.run(data)
            case .tzif: try TZifFuzz.run(data)
            }
            return nil
        } catch let violation as FuzzViolation {
            return "\(rawValue): \(violation.message)"
        } catch {
            return "\(rawValue): unexpected error \(error)"
        }
    }
}

/// An invariant that did not hold.
struct FuzzViolation: Error {
    var message: String
}

/// Throws a `FuzzViolation` with `message` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw FuzzViolation(message: message()) }
}
#endif
