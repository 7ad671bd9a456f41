import BotKit
import Foundation

/// /demo_time [+30m]: moves the demo's clock forward, runs what became due (price alerts against the moved paper
/// prices, order fills, the daily summary), and shows the demo's time. Registered only by `pollbot demo`.
struct DemoTimeCommand: Command {
    static let name = "demo_time"
    static let summary = "Demo only: move the demo's clock forward (+30m, +2h, +1d) to see alerts fire"
    static let usage = "/demo_time [+30m|+2h|+1d|+90s]"

    /// The step, or nil to show the time only.
    let step: DemoTimeStep?

    init(arguments: inout ArgumentScanner) throws {
        guard let word = arguments.optionalWord() else {
            step = nil
            return
        }
        guard let step = DemoTimeStep(word) else {
            throw UserError("\u{201C}\(HTML.escape(String(word.prefix(40))))\u{201D} is not a step of the demo's clock. Use \(DemoTimeStep.form).")
        }
        self.step = step
        try arguments.finish()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let services = context.services
        let hours = DemoMarketHours(calendar: .india, timeZone: services.config.broker.timeZone)
        var lines: [String] = []
        if let step {
            services.clock.advance(by: step.seconds)
            let caughtUp = await services.store.catchUpJobs(dueBy: services.clock.now())
            lines.append("Demo time moved \(DemoTimeStep.describe(step.seconds)) to <b>\(hours.show(services.clock.now()))</b>.")
            lines.append(caughtUp ? "Price alerts were checked against the paper prices of the new time, and every job due by then ran."
                                  : "Some jobs due by then are still running; their messages follow when they finish.")
        } else {
            let offset = services.clock.offset
            lines.append("Demo time: <b>\(hours.show(services.clock.now()))</b>, "
                + (offset < 1 ? "the real time (not moved yet)." : "\(DemoTimeStep.describe(offset)) ahead of the real time."))
        }
        lines.append(hours.status(at: services.clock.now()))
        return context.reply(lines.joined(separator: "\n"))
    }
}
