import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// The grammar alone: each phrase names the command a user would type; anything else gets one hint and /help.
@Suite struct PlainLanguageTests {
    @Test(arguments: [
        ("price of RELIANCE", "/quote RELIANCE"), ("Quote tcs infy", "/quote TCS INFY"), ("  please,  PRICE of reliance?! ", "/quote RELIANCE"),
        ("chart INFY daily", "/chart INFY daily"), ("chart of infy", "/chart INFY"), ("my positions", "/positions"),
        ("positions", "/positions"), ("PnL", "/pnl"), ("my funds", "/funds"), ("holdings", "/holdings"), ("orders", "/orderbook"),
        ("trades", "/tradebook"), ("portfolio", "/portfolio"), ("help", "/help"), ("show me my holdings please", "/holdings"),
    ])
    func phrasesMapToTheirCommand(text: String, line: String) {
        #expect(PlainLanguage.read(text) == .run(line))
    }

    @Test func analysisPhrasesStartTheAnalysisAndTradingAnswersHonestly() {
        #expect(PlainLanguage.read("analyse a stock") == .run("/analyze"))
        #expect(PlainLanguage.read("analyze NVDA") == .run("/analyze NVDA"))
        #expect(PlainLanguage.read("please analyse reliance wheel") == .run("/analyze RELIANCE wheel"))
        #expect(PlainLanguage.read("analysis of the stock TCS, CSP") == .run("/analyze TCS csp"))
        // Orders go to /buy and /sell, which say when trading is off (the grammar knows no settings).
        #expect(PlainLanguage.read("buy 10 INFY") == .run("/buy 10 INFY"))
        guard case .reply(let unclear) = PlainLanguage.read("buy some INFY") else { Issue.record("ran something"); return }
        #expect(unclear.contains("buy 10 INFY at 1500"))
    }

    @Test func unknownTextGetsOneSuggestionAndHelp() {
        #expect(PlainLanguage.read("postions") == .reply("I did not understand that. Did you mean <code>/positions</code>? Send /help for the commands and the phrases I know."))
        #expect(PlainLanguage.read("what about RELIANCE") == .reply("I did not understand that. Did you mean <code>/quote RELIANCE</code>? Send /help for the commands and the phrases I know."))
        #expect(PlainLanguage.read("hello there") == .reply("I did not understand that. Send /help for the commands and the phrases I know."))
    }

    @Test func hostileTextNeverRunsMarkupOrHuge() {
        // Markup is split away as punctuation ("b" leads, so it is no phrase); the hint names only the symbol.
        #expect(PlainLanguage.read("<b>quote</b> <i>TCS</i>") == .reply("I did not understand that. Did you mean <code>/quote TCS</code>? Send /help for the commands and the phrases I know."))
        for text in ["", "   ", "🚀🚀🚀", "\u{0}\u{202E}", String(repeating: "price of X ", count: 10_000), "<script>alert(1)</script>"] {
            switch PlainLanguage.read(text) {
            case .reply(let html): #expect(!html.contains("<script") && !html.contains("alert"))
            case .run(let line): Issue.record("ran \(line) for hostile text")
            }
        }
        // Far more symbols than a quote takes are cut to 20.
        let many = "quote " + (1...30).map { "S\($0)" }.joined(separator: " ")
        guard case .run(let line) = PlainLanguage.read(many) else { Issue.record("no run"); return }
        #expect(line.split(separator: " ").count == 21)
    }
}
