import BotKit
import CCairo
import Foundation
import Logging
@testable import PollBot
import Testing

/// cairo opened with dlopen: every function the canvas calls resolves and draws, and a library that is missing or
/// is not cairo gives an error naming it, which the chart commands pass on, instead of a crash.
@Suite struct CairoLibraryTests {
    static let red: UInt32 = 0xD50000, blue: UInt32 = 0x2962FF, white: UInt32 = 0xFFFFFF

    @Test func everyFunctionResolvesAndDrawsARealPNG() throws {
        let cairo = try CairoLibrary.open(CairoLibrary.soname).get()
        #expect(cairo.version.wholeMatch(of: /1\.\d+\.\d+/) != nil, "\(cairo.version)")
        #expect(cairo.api.describe(CAIRO_STATUS_NO_MEMORY) == "out of memory")
        let canvas = CairoCanvas(width: 200, height: 100, library: .success(cairo))
        canvas.color(.init(Self.white))
        canvas.fill(x: 0, y: 0, width: 200, height: 100)
        canvas.color(.init(Self.red))
        canvas.fill(x: 0, y: 0, width: 50, height: 100)
        canvas.color(.init(Self.blue))
        canvas.line(from: (60, 10), to: (190, 10), width: 2, dash: [4, 4])
        canvas.path([(60, 90), (120, 90), nil, (130, 90), (190, 90)], width: 2)
        canvas.color(.init(0))
        let width = canvas.text("Nifty 50", x: 60, y: 60, size: 14, bold: true)
        #expect(width > 20 && width < 120, "\(width)")
        #expect(canvas.textWidth("Nifty 50", size: 28, bold: true) > width * 1.8, "twice the size is about twice as wide")
        let image = try #require(PNGImage(try canvas.png()))
        #expect(image.width == 200 && image.height == 100)
        #expect(image.count(Self.red, x: 0..<50, y: 0..<100) == 5000, "the red rectangle fills the left quarter")
        let dashed = image.count(Self.blue, tolerance: 40, x: 60..<190, y: 9..<11)
        #expect(dashed > 60 && dashed < 200, "a dashed line: about half the row, \(dashed)")
        let broken = image.count(Self.blue, tolerance: 40, x: 60..<190, y: 89..<91)
        #expect(broken > 180 && broken < 260, "the polyline with its gap at 120 to 130, \(broken)")
        #expect(image.count(0, tolerance: 60, x: 60..<180, y: 40..<65) > 40, "the text is drawn")
    }

    @Test func aMissingLibraryIsNamedAndNothingTraps() throws {
        let result = CairoLibrary.open("libcairo-missing.so.2")
        guard case let .failure(error) = result else { Issue.record("a library that does not exist opened"); return }
        #expect(error.library == "libcairo-missing.so.2")
        #expect(error.reason.contains("libcairo-missing.so.2") && error.reason.contains("No such file"), "\(error.reason)")
        #expect(error.description.hasPrefix("charts are unavailable: libcairo-missing.so.2 could not be loaded: "))
        // Drawing without cairo does nothing, and the picture is refused with the reason.
        let canvas = CairoCanvas(width: 1280, height: 720, library: result)
        canvas.color(.init(Self.red))
        canvas.fill(x: 0, y: 0, width: 10, height: 10)
        canvas.line(from: (0, 0), to: (10, 10), dash: [2, 2])
        canvas.path([(0, 0), nil, (5, 5)], width: 1)
        #expect(canvas.text("x", x: 1, y: 1, size: 12) == 0)
        let thrown = #expect(throws: CairoUnavailable.self) { try canvas.png() }
        #expect(thrown?.reason == error.reason)
        // What the chart and performance commands reply, through the router's failure report.
        let report = FailureReport(error, doing: "/chart", logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        #expect(report.html.hasPrefix("Charts are unavailable on this bot: the drawing library could not be loaded"))
        #expect(report.html.contains("No such file") && report.html.contains("install libcairo2"))
    }

    @Test func aLibraryThatIsNotCairoNamesTheMissingSymbol() {
        guard case let .failure(error) = CairoLibrary.open("libm.so.6") else {
            Issue.record("libm passed for cairo")
            return
        }
        #expect(error.reason == "libm.so.6 has no symbol cairo_version_string")
    }

    @Test func doctorSaysWhetherChartsCanBeDrawn() {
        let good = LocalChecks.charts(CairoLibrary.open(CairoLibrary.soname))
        #expect(good.status == .ok && good.check == "charts")
        #expect(good.found.wholeMatch(of: /libcairo\.so\.2 loads \(cairo 1\.\d+\.\d+\): charts can be drawn/) != nil, "\(good.found)")
        let missing = LocalChecks.charts(CairoLibrary.open("libcairo-missing.so.2"))
        #expect(missing.status == .warn, "the bot runs without charts")
        #expect(missing.text.hasPrefix("warn charts: libcairo-missing.so.2 cannot be loaded (libcairo-missing.so.2: cannot open shared object file"))
        #expect(missing.fix == "apt-get install libcairo2 fonts-dejavu-core")
    }

    @Test func aHostileLibraryNameIsEscapedInTheReply() {
        guard case let .failure(error) = CairoLibrary.open("/nonexistent/<b>&x.so") else {
            Issue.record("opened a path that does not exist")
            return
        }
        #expect(error.userHTML.contains("/nonexistent/&lt;b&gt;&amp;x.so"))
        #expect(!error.userHTML.contains("<b>&x"))
    }
}
