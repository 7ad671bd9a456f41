@testable import BotKit
import Testing

/// The per-chat lanes the dispatcher and the sender share: order within a chat, turns across chats, the cap, holds.
@Suite struct ChatLanesTests {
    /// Starts everything that may start now, popping each item as it starts (the dispatcher's way).
    static func drain(_ lanes: inout ChatLanes<String>) -> [String] {
        var started: [String] = []
        while let (_, item) = lanes.takeNext() { started.append(item) }
        return started
    }

    @Test func aChatRunsOneItemAtATimeInOrder() {
        var lanes = ChatLanes<String>(limit: 8)
        for item in ["a1", "a2", "a3"] { lanes.append(item, to: 1) }
        #expect(Self.drain(&lanes) == ["a1"])
        lanes.finish(1)
        #expect(Self.drain(&lanes) == ["a2"])
        lanes.finish(1)
        #expect(Self.drain(&lanes) == ["a3"])
        lanes.finish(1)
        #expect(lanes.isEmpty && lanes.runningCount == 0)
        let nothing = lanes.takeNext()
        #expect(nothing == nil)
    }

    @Test func chatsTakeTurnsAndRunTogether() {
        var lanes = ChatLanes<String>(limit: 8)
        lanes.append("a1", to: 1)
        lanes.append("a2", to: 1)
        lanes.append("b1", to: 2)
        lanes.append("c1", to: 3)
        #expect(Self.drain(&lanes) == ["a1", "b1", "c1"])
        #expect(lanes.runningCount == 3)
        #expect(lanes.count == 1)
        lanes.finish(2)
        #expect(Self.drain(&lanes).isEmpty, "chat 2 has nothing left, chat 1 is still running")
        lanes.finish(1)
        #expect(Self.drain(&lanes) == ["a2"])
    }

    @Test func noMoreThanTheLimitRunAtOnce() {
        var lanes = ChatLanes<String>(limit: 2)
        for chat in Int64(1)...4 { lanes.append("m\(chat)", to: chat) }
        #expect(Self.drain(&lanes) == ["m1", "m2"])
        lanes.finish(1)
        #expect(Self.drain(&lanes) == ["m3"])
        lanes.finish(2)
        lanes.finish(3)
        #expect(Self.drain(&lanes) == ["m4"])
    }

    @Test func theHeadStaysUntilPoppedAndCanBeReplaced() {
        var lanes = ChatLanes<String>(limit: 4)
        lanes.append("first", to: 7)
        lanes.append("second", to: 7)
        let next = lanes.next()
        #expect(next?.chat == 7 && next?.head == "first")
        lanes.start(7)
        let whileRunning = lanes.next()
        #expect(whileRunning == nil, "a running chat does not start again")
        lanes.replaceHead(of: 7, with: "first, retried")
        lanes.finish(7)
        let retried = lanes.next()
        #expect(retried?.head == "first, retried")
        lanes.start(7)
        lanes.popHead(of: 7)
        lanes.finish(7)
        let second = lanes.next()
        #expect(second?.head == "second")
        #expect(lanes.count == 1)
    }

    @Test func aHeldChatWaitsUntilUnheldWhileOthersGoOn() {
        var lanes = ChatLanes<String>(limit: 4)
        lanes.append("a1", to: 1)
        lanes.append("b1", to: 2)
        lanes.hold(1)
        #expect(Self.drain(&lanes) == ["b1"])
        lanes.append("a2", to: 1)
        #expect(Self.drain(&lanes).isEmpty)
        lanes.unhold(1)
        #expect(Self.drain(&lanes) == ["a1"])
        // Held while running (a retry that must wait): finishing does not let it go again.
        lanes.hold(1)
        lanes.finish(1)
        #expect(Self.drain(&lanes).isEmpty)
        lanes.unhold(1)
        #expect(Self.drain(&lanes) == ["a2"])
    }

    @Test func aRemovedLaneLeavesNoStaleTurn() {
        var lanes = ChatLanes<String>(limit: 4)
        lanes.append("old1", to: 5)
        lanes.append("old2", to: 5)
        lanes.removeLane(5)
        #expect(lanes.count == 0)
        let nothing = lanes.takeNext()
        #expect(nothing == nil)
        // Queued again after the removal: it runs once, not once per turn entry.
        lanes.append("new", to: 5)
        #expect(Self.drain(&lanes) == ["new"])
        lanes.finish(5)
        #expect(Self.drain(&lanes).isEmpty)
    }
}
