import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct AccessPolicyTests {
    @Test func theRefusedSetIsBoundedAndForgetsTheOldestFirst() {
        let policy = AccessPolicy(allowedUsers: [1], admins: [], refusedCapacity: 2)
        #expect(policy.check(1) == .allow)
        #expect(policy.check(10) == .refuse)
        #expect(policy.check(11) == .refuse)
        #expect(policy.check(10) == .ignore)
        #expect(policy.check(12) == .refuse)   // 10 is forgotten to make room
        #expect(policy.check(11) == .ignore)
        #expect(policy.check(10) == .refuse)
        #expect(policy.isAllowed(1) && !policy.isAllowed(10))
    }

    @Test func adminsAreLetInWithoutBeingListedAmongTheAllowedUsers() {
        let policy = AccessPolicy(allowedUsers: [1], admins: [2])
        #expect(policy.check(2) == .allow)
        #expect(policy.isAllowed(2))
        #expect(policy.check(3) == .refuse)
    }
}
