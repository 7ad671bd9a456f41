import BotKit
import CCairoLoader

/// libcairo opened with dlopen at the first chart instead of linked: until then neither cairo nor the libraries it
/// brings (X11, xcb, pixman, fontconfig, freetype, png) are mapped, which keeps about 1.8 MB off an idle bot.
struct CairoLibrary: @unchecked Sendable {
    // Sendable: the table is written once by `pollbot_cairo_open` and only read after.
    /// The library the bot draws with.
    static let soname = "libcairo.so.2"

    /// The process's cairo, opened at its first use; Swift runs a global's initialiser once, thread-safely, so two
    /// first charts at once open it once. A failure is kept too: cairo installed later is used after a restart.
    static let shared = open(soname)

    /// The functions, each named as in cairo without the `cairo_` prefix.
    let api: pollbot_cairo

    /// `library` opened and every function pollbot calls resolved, or why not (the library or the symbol missing).
    static func open(_ library: String) -> Result<CairoLibrary, CairoUnavailable> {
        var error = [CChar](repeating: 0, count: 512)
        guard let table = pollbot_cairo_open(library, &error, error.count) else {
            let reason = error.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .failure(CairoUnavailable(library: library, reason: reason))
        }
        return .success(CairoLibrary(api: table.pointee))
    }

    /// cairo's version as the library reports it, e.g. "1.16.0".
    var version: String { api.version_string().map { String(cString: $0) } ?? "of unknown version" }
}

extension pollbot_cairo {
    /// cairo's words for `status`.
    func describe(_ status: cairo_status_t) -> String {
        status_to_string(status).map { String(cString: $0) } ?? "cairo status \(status.rawValue)"
    }
}

/// Charts cannot be drawn: cairo could not be loaded. The chart and performance commands reply with this.
public struct CairoUnavailable: ReportableError, CustomStringConvertible {
    /// The library that was opened.
    public let library: String
    /// The loader's reason: dlopen's message, or the symbol the library lacks.
    public let reason: String

    public var description: String { "charts are unavailable: \(library) could not be loaded: \(reason)" }

    public var userHTML: String {
        "Charts are unavailable on this bot: the drawing library could not be loaded (<code>\(HTML.escape(reason))</code>). "
            + "Everything else works; tell the bot's owner to install libcairo2 and restart the bot."
    }
}
