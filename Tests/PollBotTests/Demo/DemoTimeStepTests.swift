@testable import PollBot
import Testing

/// What /demo_time accepts as a step, and what it refuses.
@Suite struct DemoTimeStepTests {
    @Test func stepsInEachUnit() {
        #expect(DemoTimeStep("+90s")?.seconds == 90)
        #expect(DemoTimeStep("+30m")?.seconds == 1800)
        #expect(DemoTimeStep("+2h")?.seconds == 7200)
        #expect(DemoTimeStep("+1d")?.seconds == 86_400)
        #expect(DemoTimeStep("+30d")?.seconds == DemoTimeStep.cap)
    }

    @Test(arguments: ["", "+", "+m", "30m", "+abc", "-5m", "+-5m", "+1e308h", "+99999d", "+31d", "+0m", "+5", "+5w",
                      "+ 5m", "+5.5h", "+nanm", "+infh", "+9999999999999999999999m", "+\u{0661}\u{0662}m"])
    func hostileStepsAreRefused(_ text: String) {
        #expect(DemoTimeStep(text) == nil)
    }

    @Test func spansReadAsDaysHoursAndMinutes() {
        #expect(DemoTimeStep.describe(45) == "45s")
        #expect(DemoTimeStep.describe(1800) == "30m")
        #expect(DemoTimeStep.describe(93_600 + 1800) == "1d 2h 30m")
        #expect(DemoTimeStep.describe(.infinity) == "0m")
        #expect(DemoTimeStep.argument(covering: 7200) == "+2h")
        #expect(DemoTimeStep.argument(covering: 7201) == "+121m")
        #expect(DemoTimeStep.argument(covering: .nan) == "+1m")
    }
}
