import Foundation
@testable import PollBot
import Testing

/// A hostile broker's order book against the notices: an endless rejection reason, one echoing the API key, absurd
/// symbols and ids still make one notice Telegram accepts, without the key.
@Suite struct OrderChangeHostileTests {
    @Test func anEndlessRejectionReasonIsCutAndStillArrives() async throws {
        let watch = try await OrderWatchFixture.make()
        await watch.cycle()
        let id = try await watch.placeOutside()
        let key = String(repeating: "c0ffee", count: 11)
        await watch.fake.setOrderStatus(id, "rejected", reason: "RMS: apikey \(key) " + String(repeating: "\u{0915}\u{094D}\u{0937}", count: 3000))
        await watch.cycle()
        let texts = try await watch.texts()
        #expect(texts.count == 1)
        let text = try #require(texts.first)
        #expect(text.hasPrefix("\u{26D4} Rejected: BUY 10 RELIANCE NSE: RMS: apikey [api key] "))
        #expect(text.contains("\u{2026}\nAccount main, order \(id)"))
        #expect(!text.contains(key))
        #expect(text.utf16.count < 1000)
        await watch.close()
    }

    @Test func clippingCountsAsTelegramDoesAndLeavesShortTextAlone() {
        #expect(OrderChange.clipped("short", 64) == "short")
        let emoji = OrderChange.clipped(String(repeating: "\u{1F44D}", count: 100), 64)
        #expect(emoji.utf16.count <= 64)
        #expect(emoji.hasSuffix("\u{2026}"))
        #expect(OrderChange.reasonShown(nil) == "the broker gave no reason")
        #expect(OrderChange.reasonShown("") == "the broker gave no reason")
    }
}
