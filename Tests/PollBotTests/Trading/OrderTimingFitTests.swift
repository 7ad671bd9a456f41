import Foundation
@testable import PollBot
import Testing

/// A press waits for its order call, the book reads, the status polls and the unreadable-book retries; all of it must
/// end before the handler's time limit, or the user hears "stopped" and the verdict found later is dropped.
@Suite struct OrderTimingFitTests {
    static func total(_ timing: OrderTiming, broker: Duration) -> Duration {
        broker + (timing.reconcileReads + timing.statusPolls + timing.unreadableRetries).reduce(.zero, +)
    }

    @Test(arguments: [(60, 10, 2), (300, 10, 3), (45, 10, 1), (30, 10, 0), (1, 30, 0), (3600, 60, 3)])
    func onlyTheRetriesAPressHasTimeForAreKept(handler: Int, broker: Int, kept: Int) {
        let fitted = OrderTiming.live.fitting(handlerTimeout: .seconds(handler), brokerTimeout: .seconds(broker))
        #expect(fitted.unreadableRetries == Array(OrderTiming.live.unreadableRetries.prefix(kept)))
        if kept > 0 { #expect(Self.total(fitted, broker: .seconds(broker)) + .seconds(5) <= .seconds(handler)) }
        #expect(fitted.reconcileReads == OrderTiming.live.reconcileReads && fitted.statusPolls == OrderTiming.live.statusPolls)
    }
}
