import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /alert, /alerts and /delalert through the whole bot on the fake OpenAlgo: hostile arguments get a clear reply and
/// store nothing, the limit holds, and /alerts' Delete buttons belong to their owner.
@Suite struct AlertCommandTests {
    let alice = FakeUser(id: 7201, firstName: "Alice")
    let mallory = FakeUser(id: 7202, firstName: "Mallory")

    /// The bot's own check runs once at the start and then only a day later, so these tests see only commands.
    func rig(limit: Int = 50) async throws -> BrokerRig {
        try await BrokerRig.make(security: "allowed_users = [\(alice.id), \(mallory.id)]",
                                 sections: "[alerts]\nmarket_hours_only = false\ncheck_interval = 86400\nmax_per_user = \(limit)")
    }

    @Test func hostileArgumentsGetAShortClearReplyAndStoreNothing() async throws {
        let rig = try await rig()
        await rig.link(alice)
        let cases: [(String, String)] = [
            ("/alert", "Name a symbol and a condition"),
            ("/alert RELIANCE", "Say when"),
            ("/alert RELIANCE above", "Give the price"),
            ("/alert RELIANCE above nan", "is not a price"),
            ("/alert RELIANCE above inf", "is not a price"),
            ("/alert RELIANCE above 1e308", "is not a price"),
            ("/alert RELIANCE above 0x10", "is not a price"),
            ("/alert RELIANCE below -5", "must be above 0"),
            ("/alert RELIANCE above 0", "must be above 0"),
            ("/alert RELIANCE above twelve", "is not a price"),
            ("/alert RELIANCE above 99999999999", "at most 999,999,999"),
            ("/alert RELIANCE above 1500 1600", "Only one price"),
            ("/alert RELIANCE +0%", "above 0"),
            ("/alert RELIANCE -100%", "cannot fall 100%"),
            ("/alert RELIANCE +nan%", "is not a percentage"),
            ("/alert \(String(repeating: "X", count: 200)) above 10", "is not a symbol"),
            ("/alert RELIANCE NSE BSE above 10", "One symbol per alert"),
            ("/alert NOSUCH above 10", "no quote for NOSUCH NSE"),
            ("/alert RELIANCE above 1400", "already at or above 1,400.00"),
            ("/alert RELIANCE crosses 1420.10", "is at 1,420.10 right now"),
            ("/delalert abc", "must be a whole number"),
            ("/delalert 99", "You have no alert #99"),
        ]
        for (command, expected) in cases {
            let reply = await rig.ask(command, from: alice).first?.visibleText ?? ""
            #expect(reply.contains(expected), "\(command) → \(reply)")
            #expect(reply.count < 400, "\(command) → a long reply")
        }
        let list = await rig.ask("/alerts", from: alice).first?.visibleText
        #expect(list?.contains("None yet") == true)
        await rig.close()
    }

    @Test func alertArmsAndAlertsListsWithOwnerBoundDeleteButtons() async throws {
        let rig = try await rig()
        await rig.link(alice)
        let first = await rig.ask("/alert RELIANCE above 1500", from: alice).first?.visibleText ?? ""
        #expect(first.contains("Alert #1 armed"))
        #expect(first.contains("RELIANCE NSE above 1,500.00 (LTP now 1,420.10)"))
        // -3% from 3,461.20 is 3,357.364, kept to the paisa.
        let second = await rig.ask("/alert TCS NSE -3%", from: alice).first?.visibleText ?? ""
        #expect(second.contains("TCS NSE below 3,357.36"))
        let third = await rig.ask("/alert RELIANCE > 1600", from: alice).first?.visibleText ?? ""
        #expect(third.contains("above 1,600.00"))
        let list = try #require(await rig.ask("/alerts", from: alice).first)
        #expect(list.visibleText?.contains("3 of 50 armed") == true)
        #expect(list.buttons.map(\.text) == ["\u{1F5D1} Delete #1", "\u{1F5D1} Delete #2", "\u{1F5D1} Delete #3"])
        let delete = try #require(list.button("\u{1F5D1} Delete #1"))
        let listID = await rig.fake.lastMessageID
        await rig.fake.pressButton(delete, by: mallory, messageID: listID)
        let refused = await rig.fake.waitForCalls("answerCallbackQuery", count: 1)
        #expect(refused.last?.parameters["text"] as? String == "This button is not for you.")
        await rig.fake.pressButton(delete, by: alice, messageID: listID)
        let edits = await rig.fake.waitForCalls("editMessageText", count: 1)
        let edited = try #require(edits.last)
        #expect(edited.visibleText?.contains("#1") == false)
        #expect(edited.visibleText?.contains("2 of 50 armed") == true)
        #expect(edited.buttons.map(\.text) == ["\u{1F5D1} Delete #2", "\u{1F5D1} Delete #3"])
        #expect(await rig.ask("/delalert 2", from: alice).first?.visibleText == "Alert #2 deleted.")
        #expect(await rig.ask("/delalert 2", from: alice).first?.visibleText?.contains("You have no alert #2") == true)
        // Mallory cannot delete Alice's alert by its number either.
        await rig.link(mallory)
        #expect(await rig.ask("/delalert 3", from: mallory).first?.visibleText?.contains("You have no alert #3") == true)
        await rig.close()
    }

    @Test func theLimitPerUserRefusesOneMoreAndADeleteMakesRoom() async throws {
        let rig = try await rig(limit: 2)
        await rig.link(alice)
        await rig.ask("/alert RELIANCE above 1500", from: alice)
        await rig.ask("/alert TCS below 3000", from: alice)
        let before = await rig.broker.calls("quotes")
        let refused = await rig.ask("/alert M&M above 3100", from: alice).first?.visibleText ?? ""
        #expect(refused.contains("You have 2 armed alerts, the most allowed"))
        // Refused before asking the broker anything.
        #expect(await rig.broker.calls("quotes") == before)
        await rig.ask("/delalert 1", from: alice)
        let armed = await rig.ask("/alert M&M BSE above 3100", from: alice).first?.visibleText ?? ""
        #expect(armed.contains("M&amp;M BSE above 3,100.00") || armed.contains("M&M BSE above 3,100.00"))
        await rig.close()
    }
}

extension AlertCommandTests {
    /// The /alert message `messageID` from `user`, as Telegram would deliver it (again, after a kill, with a new update id).
    static func alertMessage(_ text: String, messageID: Int, from user: FakeUser) -> String {
        let command = text.prefix { !$0.isWhitespace }.utf16.count
        return #"{"update_id":$ID,"message":{"message_id":\#(messageID),"from":{"id":\#(user.id),"is_bot":false,"first_name":"\#(user.firstName)"},"chat":{"id":\#(user.id),"type":"private"},"date":\#(Int(Date().timeIntervalSince1970)),"text":"\#(text)","entities":[{"type":"bot_command","offset":0,"length":\#(command)}]}}"#
    }

    @Test func aReplayedAlertMessageFindsItsAlertThoughThePriceHasPassedTheLevel() async throws {
        // A kill after the alert was stored and before its reply was: the replay must not judge the level again.
        let rig = try await rig()
        await rig.link(alice)
        await rig.fake.pushRaw(Self.alertMessage("/alert RELIANCE above 1500", messageID: 777_001, from: alice))
        let first = await rig.fake.waitUntil { calls in calls.contains { $0.visibleText?.contains("armed") == true } }
            .last { $0.visibleText?.contains("armed") == true }?.visibleText ?? ""
        #expect(first.contains("Alert #1 armed"))
        await rig.broker.setQuote("RELIANCE", ltp: 1600)
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.pushRaw(Self.alertMessage("/alert RELIANCE above 1500", messageID: 777_001, from: alice))
        let replay = await rig.fake.waitForCalls("sendMessage", count: before + 1).last?.visibleText ?? ""
        #expect(replay == first)
        // A new message with the same words is judged afresh: the level is already reached now.
        let fresh = await rig.ask("/alert RELIANCE above 1500", from: alice).first?.visibleText ?? ""
        #expect(!fresh.contains("armed"))
        let list = await rig.ask("/alerts", from: alice).first?.visibleText ?? ""
        await rig.close()
        #expect(list.contains("1 of 50 armed"))
    }
}
