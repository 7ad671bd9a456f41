import Foundation

/// The chaos soak: the real `pollbot` binary against the fake Telegram and the fake OpenAlgo, a stream of updates from
/// many users, SIGKILLs at random moments with a restart after each, random faults on Telegram calls and the broker,
/// and 429 storms. `run` returns the figures and every broken promise (`SoakReport.violations`).
public struct SoakDriver: Sendable {
    public let plan: SoakPlan
    /// The executable to run (the `pollbot` built next to the caller by default).
    public let executable: URL
    /// Progress lines go here (nil: silent).
    public let progress: (@Sendable (String) -> Void)?

    public init(plan: SoakPlan, executable: URL = BotProcess.executable, progress: (@Sendable (String) -> Void)? = nil) {
        self.plan = plan
        self.executable = executable
        self.progress = progress
    }

    /// Runs the soak and checks it; the directory is removed unless something broke.
    public func run() async throws -> SoakReport {
        let telegram = try await FakeTelegram.start(floodLimits: false)
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let directory = try TemporaryDirectory("pollbot-soak")
        let users = (0..<plan.users).map { FakeUser(id: 7_000_001 + Int64($0)) }
        let configPath = directory.file("bot.toml")
        try configText(telegram: telegram, broker: broker, directory: directory, users: users)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let bot = SoakBot(configPath: configPath, directory: directory, executable: executable)
        let started = ContinuousClock.now
        defer { bot.killIfRunning() }

        try bot.start()
        await telegram.setChaos(rate: plan.telegramFaultRate, seed: plan.seed, timeoutStall: plan.telegramTimeout)
        let ledger = SoakLedger(), market = SoakMarket(broker: broker)
        let base = plan.updates / plan.users, extra = plan.updates % plan.users
        // Each user's pause spreads its share of the stream over the planned duration.
        let pause = plan.duration / Double(max(1, base + 1))
        async let stream: Void = withTaskGroup(of: Void.self) { group in
            for (index, user) in users.enumerated() {
                let soakUser = SoakUser(user: user, budget: base + (index < extra ? 1 : 0), pause: pause, telegram: telegram,
                                        broker: broker, ledger: ledger, market: market, plan: plan, progress: progress)
                group.addTask { await soakUser.run() }
            }
        }
        // Runs while the users stream; cancelled once they are done.
        let chaos = Task { try await chaosLoop(bot: bot, telegram: telegram, market: market, database: directory.file("pollbot.sqlite3")) }
        await stream
        chaos.cancel()
        let restartTimes = try await chaos.value
        progress?("stream done after \(ContinuousClock.now - started); \(bot.kills) kills; settling")

        // The faults stop; the market rises until every armed alert has fired (or a minute passes).
        await telegram.setChaos(rate: 0, seed: plan.seed, timeoutStall: plan.telegramTimeout)
        let alertChats = await ledger.alertChats
        let settleDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < settleDeadline {
            if try await bot.restartIfDead() { progress?("the bot had exited; restarted") }
            let armed = await SoakReport.announcedAlerts(in: alertChats, telegram: telegram)
            if await SoakReport.unfiredAlerts(armed, telegram: telegram).isEmpty, await telegram.pendingUpdates == 0 { break }
            await market.rise()
            try? await Task.sleep(for: .seconds(2))
        }
        // Long enough for the last replies to leave and the alert job to finish its cycle.
        try? await Task.sleep(for: .seconds(3))
        let exitStatus = await bot.stop()
        let report = try await SoakReport.check(plan: plan, ledger: ledger, telegram: telegram, broker: broker, directory: directory,
                                                kills: bot.kills, restartTimes: restartTimes, restarts: bot.restarts, exitStatus: exitStatus,
                                                elapsed: ContinuousClock.now - started)
        await telegram.stop()
        await broker.stop()
        if report.violations.isEmpty { directory.remove() } else { progress?("kept the bot's files in \(directory.path)") }
        return report
    }

    /// Kills at random moments spread over the stream, and a 429 storm about every tenth of it.
    ///
    /// A kill's moment is drawn only once the bot killed before it is up again (its first getUpdates): drawn from the
    /// kill instead, on a loaded machine the next kill often came while the new process was still starting. The gap is
    /// the planned time left, less a restart per kill left, shared among those kills (at least half a second), so
    /// all of them fall inside the stream however long restarts take (with a second's floor and no allowance for restarts,
    /// 92 of 100 came before the stream ended). And a kill waits (up to 5 s) while an update runs for the second time (`secondRuns`):
    /// two kills on one update's two runs are what the bot cannot tell from an update that crashes it, and it gives such
    /// an update up as poisoned, as README promises (run 4 of the full soak: a ticker step of /analyze, killed 2 s after
    /// it arrived and again 2 s into its replay). The report allows those, told to their users.
    /// Returns how long each restart took, from its kill to the new process's first getUpdates.
    private func chaosLoop(bot: SoakBot, telegram: FakeTelegram, market: SoakMarket, database: String) async throws -> [Duration] {
        var random = SplitMix64(seed: plan.seed ^ 0xC4A05)
        let plannedEnd = ContinuousClock.now + plan.duration
        var restartTimes: [Duration] = []
        func gap() -> Duration {
            let killsLeft = Double(plan.kills - bot.kills)
            // Each kill left also costs a restart (2.8 s on average in a debug build on the loaded machine).
            let restart = restartTimes.isEmpty ? .seconds(2) : restartTimes.reduce(.zero, +) / restartTimes.count
            let spare = (plannedEnd - .now) - restart * killsLeft
            return max(spare / (killsLeft + 1), .milliseconds(500)) * (0.5 + random.nextUnit())
        }
        var nextKill: ContinuousClock.Instant? = ContinuousClock.now + gap()
        // getUpdates calls seen when the last restart began; nil once the restarted bot has polled.
        var pollsAtRestart: Int?
        var killedAt = ContinuousClock.now
        var nextStorm = ContinuousClock.now + plan.duration / 10
        // Nine storms, one per tenth of the planned stream, and no more if the stream runs late: storms for as long as
        // the stream lasts would slow it, which would prolong the storms.
        var stormsLeft = 9
        var nextRise = ContinuousClock.now + .seconds(3)
        let inbox = SoakInbox(path: database)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            let now = ContinuousClock.now
            if let polls = pollsAtRestart, await telegram.getUpdatesCalls > polls {
                pollsAtRestart = nil
                restartTimes.append(now - killedAt)
                nextKill = now + gap()
            }
            // A second run holds the kill for at most 5 s: a replay takes well under a second, but an order press whose
            // book stays unreadable waits a minute for it (patient reconcile), which held the kills for minutes.
            if let kill = nextKill, now >= kill, bot.kills < plan.kills, now - kill >= .seconds(5) || inbox.secondRuns() == 0 {
                killedAt = now
                // Forgotten just before the new process starts, not before the kill: a 429 the fake answered to the dying
                // process's last request would otherwise bind the new one, which never heard it (counted "early").
                try await bot.killAndRestart(downtime: .milliseconds(Int(random.nextUnit() * 500))) {
                    await telegram.forgetRetryDeadlines()
                }
                (nextKill, pollsAtRestart) = (nil, await telegram.getUpdatesCalls)
                progress?("kill \(bot.kills)/\(plan.kills)")
            }
            // A storm starts only once the last one is spent: queued on top of each other they outgrow what the bot
            // sends while it obeys retry_after (and nothing is sent while it is down), so every send would meet a 429.
            if stormsLeft > 0, now >= nextStorm, await telegram.pendingFailures(for: "sendMessage") == 0 {
                stormsLeft -= 1
                let retryAfter = 1 + Int(random.nextUnit() * 3)
                await telegram.inject(.error(status: 429, description: "Too Many Requests: retry after \(retryAfter)", retryAfter: retryAfter),
                                      for: "sendMessage", times: 20)
                nextStorm = now + plan.duration / 10
            }
            if now >= nextRise {
                await market.rise()
                nextRise = now + .seconds(3)
            }
            _ = try await bot.restartIfDead()
        }
        return restartTimes
    }

    private func configText(telegram: FakeTelegram, broker: FakeOpenAlgo, directory: TemporaryDirectory, users: [FakeUser]) -> String {
        BotHarness.configText(fake: telegram, directory: directory, floodLimits: false, extra: """
            [broker]
            host = "\(broker.host)"
            timeout = 2
            [trading]
            enabled = true
            users = [\(users.map { String($0.id) }.joined(separator: ", "))]
            market_hours_only = false
            max_orders_per_day = 10000
            max_order_value = 100000000
            confirm_seconds = 600
            [alerts]
            check_interval = 5
            market_hours_only = false
            max_per_user = 1000
            """)
    }
}
