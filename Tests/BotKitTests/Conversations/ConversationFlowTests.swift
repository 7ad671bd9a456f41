@testable import BotKit
import Foundation
import TestSupport
import Testing

/// A conversation through the router and a real store, as the dispatcher runs it: typed and pressed answers,
/// commands in between, edits, /cancel, and a restart.
@Suite struct ConversationFlowTests {
    @Test func typedAnswersWalkTheStatesToTheEnd() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        #expect(try await rig.say("/order", id: 1) == ["Which ticker?"])
        #expect(try await rig.open()?.state == "ticker")
        // A wrong answer keeps the state and says what fits.
        #expect(try await rig.say("12", id: 2) == ["Send a ticker like NVDA, or /cancel."])
        #expect(try await rig.open()?.state == "ticker")
        #expect(try await rig.say("nvda", id: 3) == ["Buy or sell NVDA?"])
        let open = try #require(try await rig.open())
        #expect(open.state == "side" && open.data == ["ticker": "NVDA"])
        // Typed by its label, case ignored.
        #expect(try await rig.say("  SELL SHORT ", id: 4) == ["Order: sell NVDA."])
        #expect(try await rig.open() == nil)
        // With nothing open, plain text gets the usual pointer.
        #expect(try await rig.say("hello", id: 5) == ["I answer commands. Send /help to see them."])
    }

    @Test func choicesAreAcceptedByNumberValueLabelOrAlias() {
        let choices = [ConversationChoice("csp", label: "Cash-secured put"), ConversationChoice("cc", label: "Covered call", aliases: ["call"])]
        #expect(ConversationInput.text("1").matching(choices)?.value == "csp")
        #expect(ConversationInput.text("CSP").matching(choices)?.value == "csp")
        #expect(ConversationInput.text("cash-secured put").matching(choices)?.value == "csp")
        #expect(ConversationInput.text("call").matching(choices)?.value == "cc")
        #expect(ConversationInput.choice("cc").matching(choices)?.value == "cc")
        for hostile in ["0", "3", "-1", "", "  ", "1e308", "nan", "1.0"] { #expect(ConversationInput.text(hostile).matching(choices) == nil) }
        #expect(ConversationInput.text("1").matching([]) == nil)
    }

    @Test func aButtonAdvancesTheConversationAndAnEndedOnesButtonGetsTheToast() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        let result = await rig.router.handle(InboxItem(update: Update(updateID: 99, message: ConversationRig.message("INFY", id: 99)), receivedAt: Date()))
        // The reply offers the choices as engine-owned buttons bound to the user.
        let buttons = ConversationRig.buttons(of: try #require(result.replies.first))
        let run = try #require(try await rig.open()?.run)
        #expect(run.wholeMatch(of: /[0-9a-z]{6}/) != nil)
        #expect(buttons == ["u42|cv:order:\(run):buy", "u42|cv:order:\(run):sell"])
        #expect(result.conversation != nil)
        _ = try await rig.say("INFY", id: 2)
        #expect(try await rig.press("u42|cv:order:\(run):buy", id: 3) == ["toast: (none)", "Order: buy INFY."])
        #expect(try await rig.open() == nil)
        #expect(try await rig.press("u42|cv:order:\(run):sell", id: 4) == ["toast: This conversation has ended"])
        // Another user's button is refused before anything else.
        #expect(try await rig.press("u7|cv:order:\(run):sell", id: 5) == ["toast: This button is not for you."])
    }

    @Test func aButtonOfAnEarlierRunNeverAnswersTheNextOne() async throws {
        // An old Execute button under an earlier analysis must not act on the current one.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order INFY", id: 1)
        let first = try #require(try await rig.open()?.run)
        #expect(try await rig.press("u42|cv:order:\(first):buy", id: 2) == ["toast: (none)", "Order: buy INFY."])
        _ = try await rig.say("/order NVDA", id: 3)
        let second = try #require(try await rig.open()?.run)
        #expect(second != first)
        #expect(try await rig.press("u42|cv:order:\(first):sell", id: 4) == ["toast: This conversation has ended"])
        #expect(try await rig.open()?.state == "side")
        #expect(try await rig.press("u42|cv:order:\(second):sell", id: 5) == ["toast: (none)", "Order: sell NVDA."])
    }

    @Test func anAnswerHandledWhileTheSweeperEndsTheConversationDoesNotBringItBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        let read = try #require(try await rig.open())
        var advanced = read
        advanced.state = "side"
        advanced.updatedAt = read.updatedAt.addingTimeInterval(1)
        // The sweeper ends it between the handler's read and its stored change.
        try await rig.store.apply(.end(chatID: read.chatID, userID: read.userID, outcome: .timedOut))
        try await rig.store.apply(.update(advanced, was: read.updatedAt))
        #expect(try await rig.open() == nil)
        // A newer run of the same conversation is not touched by the old run's change either.
        _ = try await rig.say("/order", id: 2)
        let newer = try #require(try await rig.open())
        try await rig.store.apply(.update(advanced, was: read.updatedAt))
        try await rig.store.apply(.end(chatID: read.chatID, userID: read.userID, run: read.run, outcome: .completed))
        #expect(try await rig.open() == newer)
    }

    @Test func aSlashCommandRunsMidConversationAndLeavesItOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        #expect(try await rig.say("/echo hi", id: 2) == ["hi"])
        #expect(try await rig.open()?.state == "ticker")
        #expect(try await rig.say("TCS", id: 3) == ["Buy or sell TCS?"])
    }

    @Test func editedMessagesNeverAdvanceAConversation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        let before = try await rig.open()
        #expect(try await rig.send(Update(updateID: 2, editedMessage: ConversationRig.message("TCS", id: 1))) == [])
        #expect(try await rig.open() == before)
    }

    @Test func cancelEndsTheOpenConversationAndSaysWhich() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order TCS", id: 1)
        #expect(try await rig.open()?.state == "side")
        #expect(try await rig.say("/cancel", id: 2) == ["Cancelled the test order."])
        #expect(try await rig.open() == nil)
        #expect(try await rig.say("/cancel", id: 3) == ["There is nothing to cancel."])
        #expect(try await rig.say("buy", id: 4) == ["I answer commands. Send /help to see them."])
    }

    @Test func aRestartMidConversationContinuesWhereItWas() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let rig = try ConversationRig(directory: directory)
            _ = try await rig.say("/order", id: 1)
            _ = try await rig.say("RELIANCE", id: 2)
        }
        // A new store and router on the same file: the bot after a restart.
        let restarted = try ConversationRig(directory: directory)
        #expect(try await restarted.open()?.data == ["ticker": "RELIANCE"])
        #expect(try await restarted.say("b", id: 3) == ["Order: buy RELIANCE."])
        #expect(try await restarted.open() == nil)
    }

    @Test func anExpiredConversationTakesNoMoreAnswers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        var record = try #require(try await rig.open())
        record.expiresAt = Date().addingTimeInterval(-1)
        try await rig.store.apply(.save(record))
        #expect(try await rig.say("TCS", id: 2) == ["I answer commands. Send /help to see them."])
        #expect(try await rig.open()?.state == "ticker")
        #expect(try await rig.press("u42|cv:order:\(record.run):buy", id: 3) == ["toast: This conversation has ended"])
    }

    @Test func aStateNoLongerDeclaredEndsWithANoticeInsteadOfGuessing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        var record = try #require(try await rig.open())
        record.state = "renamed"
        try await rig.store.apply(.save(record))
        #expect(try await rig.say("TCS", id: 2) == ["The test order cannot continue after the bot was updated; please start again."])
        #expect(try await rig.open() == nil)
    }
}
