@testable import PollBot
import BotKit
import Foundation
import Synchronization
import TestSupport
import Testing

/// Charts fed what could hang or crash them: degenerate ranges, absurd candles, a render that never returns.
@Suite struct ChartHazardTests {
    let alice = FakeUser(id: 6101, firstName: "Alice")

    static func flat(_ price: Double, count: Int = 40) -> [Candle] {
        (0..<count).map { Candle(time: Date(timeIntervalSince1970: 1_600_000_000 + Double($0) * 86_400), open: price, high: price,
                                 low: price, close: price, volume: 10) }
    }

    @Test(arguments: [
        ("flat at 1e14", flat(1e14)), ("flat at 1e-9", flat(1e-9)), ("a single candle", flat(250, count: 1)),
        ("a few ulps wide at 1e14", (0..<40).map { index in
            let base = 1e14, top = base.nextUp.nextUp
            return Candle(time: Date(timeIntervalSince1970: 1_600_000_000 + Double(index) * 86_400), open: base, high: top, low: base,
                          close: index % 2 == 0 ? base : top, volume: 1)
        }),
        ("from 1e-9 to 9e14", ChartRendererTests.candles(30, start: 1e-9, drift: 3e13)),
        ("negative prices", ChartRendererTests.candles(30, start: -500, drift: 2)),
    ])
    func degenerateRangesStillDraw(name: String, candles: [Candle]) throws {
        let image = try ChartRendererTests.render(candles)
        // The last price's label box (solid, right of the plot) sits inside the picture: the price mapped to a real height.
        let colour = candles.last!.close >= candles.last!.open ? ChartRendererTests.up : ChartRendererTests.down
        #expect(image.count(colour, x: 1192..<1270, y: 60..<540) > 500, "\(name)")
    }

    @Test func priceTicksStopWhenTheStepNoLongerMovesTheValue() {
        let base = 1e14
        let narrow = ChartRenderer.ticks(low: base, high: base.nextUp.nextUp.nextUp)
        #expect(narrow.values.count <= ChartRenderer.maxTicks)
        #expect(zip(narrow.values, narrow.values.dropFirst()).allSatisfy { $0 < $1 })
        let wide = ChartRenderer.ticks(low: -Double.greatestFiniteMagnitude, high: .greatestFiniteMagnitude)
        #expect(wide.values.count <= ChartRenderer.maxTicks && wide.values.allSatisfy(\.isFinite))
        let usual = ChartRenderer.ticks(low: 1398.2, high: 1425)
        #expect(usual.step == 5 && usual.values.first == 1400 && usual.values.last == 1425)
    }

    @Test func candlesNoDecoderWouldPassAreLeftOutNotDrawn() throws {
        var candles = ChartRendererTests.candles(60)
        candles[10].high = .infinity
        candles[20].close = .nan
        candles[30].low = -1.75e308
        candles[40].time = Date(timeIntervalSince1970: 1e300)
        candles[50].volume = .infinity
        let image = try ChartRendererTests.render(candles)
        #expect(image.count(ChartRendererTests.up, x: 600..<1188, y: 70..<520) > 100)
        var nothing = ChartRendererTests.candles(3)
        for index in nothing.indices { nothing[index].open = .nan }
        #expect(throws: ChartError.self) { try ChartRenderer.png(ChartSpec(instrument: Instrument("X", "NSE"), interval: "D", kind: .daily, candles: nothing)) }
    }

    @Test func vwapRestartsEachSessionWithoutAJoin() throws {
        // Two sessions of 60 five-minute candles: the first near 100, the second near 200.
        let calendar = MarketCalendar.india
        let days = calendar.tradingDays(endingAt: calendar.day(of: Date(timeIntervalSince1970: 1_700_000_000)), count: 2)
        let candles = days.enumerated().flatMap { session, day in
            (0..<60).map { slot in
                let price = session == 0 ? 100.0 : 200.0
                return Candle(time: calendar.time(day: day, minute: slot * 5), open: price, high: price + 1, low: price - 1, close: price + 0.5,
                              volume: 1000)
            }
        }
        let sessions = candles.map { calendar.day(of: $0.time) }
        let vwap = Indicators.vwap(candles, sessions: sessions)
        #expect(ChartRenderer.segments(vwap, restarts: [60]) == [0..<60, 60..<120])
        #expect(ChartRenderer.segments([1, nil, 2, 3, 4], restarts: [3]) == [0..<1, 2..<3, 3..<5])
        // By pixels: the VWAP colour is on both levels but nowhere in between, where a join would cross.
        let image = try ChartRendererTests.render(candles, kind: .intraday)
        let vwapColour: UInt32 = 0xF08C00
        let plotTop = 70.0, priceBottom = 70 + (684 - 70) * 0.76
        let low = 99.0 - 101 * 0.06, high = 201 + 101 * 0.06
        func y(_ price: Double) -> Int { Int(priceBottom - (price - low) / (high - low) * (priceBottom - plotTop)) }
        #expect(image.count(vwapColour, tolerance: 30, y: (y(200.3) - 4)..<(y(200.3) + 4)) > 100)
        #expect(image.count(vwapColour, tolerance: 30, y: (y(100.3) - 4)..<(y(100.3) + 4)) > 100)
        #expect(image.count(vwapColour, tolerance: 30, y: (y(180) ..< y(120))) == 0)
    }

    /// A render that blocks until the test lets it go, standing in for a cairo call that does not return.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        let entered = Mutex(0)
        func wait() {
            entered.withLock { $0 += 1 }
            semaphore.wait()
        }
        func open() { semaphore.signal() }
    }

    @Test func aRenderPastTheLimitIsAbandonedAndTheNextChartIsDrawn() async throws {
        let gate = Gate()
        let timers = Mutex(0)
        // The first job's time is up as soon as it renders; later jobs' timers never fire, so they must finish on their own.
        let worker = ChartWorker(limit: .seconds(5), render: { spec in
            if spec.instrument.symbol == "SLOW" { gate.wait() }
            return try ChartRenderer.png(spec)
        }, timer: { _ in
            let first = timers.withLock { count in
                count += 1
                return count == 1
            }
            if !first { try await Task.sleep(for: .seconds(3600)) }
            // The first job's time is up once its render is under way (stuck in the gate), not before it started.
            while gate.entered.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        })
        let spec = ChartSpec(instrument: Instrument("SLOW", "NSE"), interval: "D", kind: .daily, candles: ChartRendererTests.candles(30))
        await #expect { _ = try await worker.render(spec) } throws: { error in
            guard let timeout = error as? ChartTimeout else { return false }
            return !timeout.unavailable && timeout.userHTML.contains("chart of <b>SLOW</b> NSE took longer than 5 s")
        }
        #expect(gate.entered.withLock { $0 } == 1)
        var next = spec
        next.instrument = Instrument("FAST", "NSE")
        let png = try await worker.render(next)  // the first thread is still stuck in `gate`
        #expect(PNGImage(png)?.width == 1280)
        gate.open()
    }

    @Test func aQueuedChartWhoseCallerIsCancelledIsNotDrawn() async throws {
        let gate = Gate()
        let drawn = Mutex<[String]>([])
        let worker = ChartWorker(limit: .seconds(3600), render: { spec in
            if spec.instrument.symbol == "FIRST" { gate.wait() }
            drawn.withLock { $0.append(spec.instrument.symbol) }
            return try ChartRenderer.png(spec)
        })
        func spec(_ symbol: String) -> ChartSpec {
            ChartSpec(instrument: Instrument(symbol, "NSE"), interval: "D", kind: .daily, candles: ChartRendererTests.candles(30))
        }
        let first = Task { try await worker.render(spec("FIRST")) }
        while gate.entered.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let queued = (1...3).map { index in Task { try await worker.render(spec("QUEUED\(index)")) } }
        try await Task.sleep(for: .milliseconds(50))  // let them reach the queue; cancelling earlier is covered too
        for task in queued { task.cancel() }
        for task in queued { await #expect(throws: CancellationError.self) { _ = try await task.value } }
        gate.open()
        _ = try await first.value
        // The worker goes on with later work, and none of the cancelled charts was drawn.
        _ = try await worker.render(spec("AFTER"))
        #expect(drawn.withLock { $0 } == ["FIRST", "AFTER"])
    }

    @Test func absurdCandlesReachChartAndGetAReply() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let normal = ChartCommandTests.history()
        for (field, token) in [("high", "1.75e308"), ("close", "\"inf\""), ("timestamp", "1e300"), ("low", "\"nan\""), ("volume", "-1e300")] {
            var candles = normal
            candles[candles.count / 2][field] = HostileNumberTests.placeholder
            let body = HostileNumberTests.success(candles).replacingOccurrences(of: "\"\(HostileNumberTests.placeholder)\"", with: token)
            await rig.broker.setReply("history", body: body)
            let started = ContinuousClock.now
            let text = try #require(await rig.ask("/chart RELIANCE", from: alice).first?.visibleText, "\(field) = \(token)")
            #expect(started.duration(to: .now) < .seconds(10))
            #expect(text.contains("sent an unusable value for \(field) of ") && text.contains("(error "), "\(field) = \(token): \(text)")
            #expect(!HostileNumberTests.hasGarbage(text), "\(text)")
        }
        await rig.broker.setReply("history", body: nil)
        await rig.broker.setHistory(normal)
        await rig.fake.sendText("/chart RELIANCE", from: alice)
        #expect(await rig.fake.waitForCalls("sendPhoto", count: 1).count == 1)
        await rig.close()
    }
}
