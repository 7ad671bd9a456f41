import Foundation

/// One soak user: links the fake's key, then spends its share of updates on probes, /analyze conversations, /buy
/// previews with Confirm presses and price alerts, pausing between steps, waiting for each answer as a person would.
struct SoakUser: Sendable {
    let user: FakeUser
    let budget: Int
    let pause: Duration
    let telegram: FakeTelegram
    let broker: FakeOpenAlgo
    let ledger: SoakLedger
    let market: SoakMarket
    let plan: SoakPlan
    let progress: (@Sendable (String) -> Void)?

    var chat: Int64 { user.id }

    func run() async {
        var random = SplitMix64(seed: plan.seed &* 1_000_003 &+ UInt64(user.id))
        var left = budget
        try? await Task.sleep(for: pause * random.nextUnit())
        if left > 0 {
            await step("link", "/link \(BrokerRig.apiKey) \(broker.host)", until: "Linked")
            left -= 1
        }
        var alerts = 0
        while left > 0 {
            try? await Task.sleep(for: pause * (0.5 + random.nextUnit()))
            let roll = random.nextUnit()
            if roll < 0.3, left >= 3 {
                left -= await buy(&random)
            } else if roll < 0.45, left >= 3 {
                await step("analyze", "/analyze", until: "Which ticker?")
                await step("analyze", "RELIANCE", until: nil)
                await step("analyze", "/cancel", until: nil)
                left -= 3
            } else if roll < 0.6 {
                alerts += 1
                await arm(alerts, &random)
                left -= 1
            } else {
                let probe = await ledger.newProbe()
                await step("probe", "/help u\(probe)", until: "no command /u\(probe).")
                left -= 1
            }
        }
    }

    /// /buy with a quantity no other order has, then Confirm (sometimes twice, sometimes after a broker fault). Returns the updates sent.
    private func buy(_ random: inout SplitMix64) async -> Int {
        let quantity = await ledger.newQuantity()
        // This order's own preview: "Order preview" alone also matched an earlier preview repeated after a kill, whose
        // Confirm, pressed again, added a confirmation to the ledger and no intent to the bot (1,453 for 1,452).
        let line = "BUY \(quantity) RELIANCE NSE"
        guard let preview = await step("buy", "/buy \(quantity) RELIANCE", until: line),
              let confirm = preview.button("\u{2705} Confirm"),
              let messageID = await telegram.messageID(in: chat, containing: line)
        else { return 1 }
        if random.nextUnit() < plan.brokerFaultRate { await injectOrderFault(&random) }
        let twice = random.nextUnit() < 0.15
        await ledger.pressed("\(chat)/\(messageID)", twice: twice)
        let before = await telegram.messages(in: chat).count
        await telegram.pressButton(confirm, by: user, messageID: messageID)
        if twice { await telegram.pressButton(confirm, by: user, messageID: messageID) }
        await ledger.count("confirm", updates: twice ? 2 : 1)
        await wait("confirm", after: before, until: nil)
        return twice ? 3 : 2
    }

    private func injectOrderFault(_ random: inout SplitMix64) async {
        switch random.nextUnit() {
        case ..<0.4:
            // Recorded at the fake, answered only after the bot's broker timeout: the bot must find it, not resend it.
            await broker.injectOrderFault(.acceptThenStall(.seconds(4)))
            await ledger.brokerFault("accept then timeout")
        case ..<0.7:
            await broker.injectOrderFault(.failBeforeRecording)
            await ledger.brokerFault("placeorder 500")
        default:
            await broker.inject(.status(503, message: "Service Unavailable"), for: "orderbook")
            await ledger.brokerFault("orderbook 503")
        }
    }

    /// /alert TCS above a level just over the LTP now; the market's next rise crosses it.
    private func arm(_ number: Int, _ random: inout SplitMix64) async {
        if random.nextUnit() < plan.brokerFaultRate {
            await broker.inject(.status(500, message: "Internal Server Error"), for: "quotes")
            await ledger.brokerFault("quotes 500")
        }
        // The user's count in the cents keeps each of a user's levels distinct, so a second row for one command shows.
        let level = (await market.price * 1.004 * 100).rounded() / 100 + Double(number) / 100
        // Any new message ends the step; which alert it armed is read from the chat at the end, as a fire notice or a
        // late answer to an earlier step may come first.
        await ledger.sentAlert(in: chat)
        await step("alert", "/alert TCS above \(String(format: "%.2f", level))", until: nil)
    }

    /// Sends `text` and waits for a message containing `marker` (or any new message); returns it.
    @discardableResult
    private func step(_ kind: String, _ text: String, until marker: String?) async -> SentCall? {
        let before = await telegram.messages(in: chat).count
        await telegram.sendText(text, from: user)
        await ledger.count(kind)
        return await wait(kind, after: before, until: marker)
    }

    @discardableResult
    private func wait(_ kind: String, after before: Int, until marker: String?) async -> SentCall? {
        let started = ContinuousClock.now, deadline = started + plan.stepLimit
        var seen = before
        while ContinuousClock.now < deadline {
            let messages = await telegram.waitForMessages(in: chat, moreThan: seen, timeout: deadline - .now)
            if let found = messages.dropFirst(before).first(where: { marker == nil || $0.visibleText?.contains(marker!) == true }) {
                // Slow answers set how long the stream runs; naming them shows what to look into.
                let took = ContinuousClock.now - started
                if took > .seconds(10) { progress?("slow answer to a \(kind) step in chat \(chat): \(took)") }
                return found
            }
            seen = messages.count
        }
        await ledger.missed(kind)
        progress?("no answer to a \(kind) step in chat \(chat) within \(plan.stepLimit)")
        return nil
    }
}

/// The price of TCS at the fake, which only rises: each rise crosses every alert armed before it.
actor SoakMarket {
    private(set) var price = 3461.2
    private let broker: FakeOpenAlgo

    init(broker: FakeOpenAlgo) { self.broker = broker }

    func rise() async {
        price = (price * 1.02 * 100).rounded() / 100
        await broker.setQuote("TCS", ltp: price)
    }
}
