import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The real `pollbot` binary maps neither cairo nor the libraries it brings while it answers commands and reports
/// itself ready, and loads them when the first chart is drawn: a chart drawn through the dlopen'd library.
@Suite struct LazyCairoProcessTests {
    let alice = FakeUser(id: 6101, firstName: "Alice")

    /// Which of the libraries only cairo brings `pid` has mapped, by name up to `.so`.
    static func cairoLibraries(_ pid: Int32) throws -> Set<String> {
        // Read to the end: /proc files report a size of 0, which a whole-file read takes at its word.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(pid)/maps"))
        defer { try? handle.close() }
        let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        try #require(maps.contains("/pollbot"), "the map of pollbot itself")
        return Set(maps.split(separator: "\n").compactMap { line in
            guard let path = line.split(separator: " ", omittingEmptySubsequences: true).last, path.hasPrefix("/") else { return nil }
            let name = String(path.split(separator: "/").last ?? "")
            // The map names the file the soname links to, e.g. libcairo.so.2.11600.0.
            return ["libcairo.so", "libpixman-1.so", "libfontconfig.so", "libxcb.so", "libX11.so"].first { name.hasPrefix($0) }
        })
    }

    @Test func cairoIsMappedOnlyOnceTheFirstChartIsDrawn() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let telegram = try await FakeTelegram.start(floodLimits: false)
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let directory = try TemporaryDirectory("pollbot-lazycairo")
        var bot: BotProcess?
        defer { directory.remove() }
        do {
            let configPath = directory.file("bot.toml")
            try BotHarness.configText(fake: telegram, directory: directory, floodLimits: false, extra: """
                [broker]
                host = "\(broker.host)"
                """).write(toFile: configPath, atomically: true, encoding: .utf8)
            let vault = Vault(current: try MasterKey.load(from: directory.file("master.key")))
            let store = try await TraderApp.openStore(path: directory.file("pollbot.sqlite3"), vault: vault)
            try await store.saveAccount(LinkedAccount(userID: alice.id, name: "main", host: broker.host,
                                                      sealed: vault.seal(BrokerRig.apiKey, userID: alice.id, account: "main", host: broker.host),
                                                      keyHint: "4e5f", linkedAt: Date()))
            await broker.setHistory(ChartCommandTests.history())
            let started = try BotProcess(configPath: configPath, logPath: directory.file("bot.log"), environment: ["POLLBOT_LOG_LEVEL": "notice"])
            bot = started

            // Started, polling and answering (readiness includes the chart worker's check): nothing of cairo yet.
            await telegram.sendText("/funds", from: alice)
            let answered = await telegram.waitForCalls("sendMessage", count: 1, timeout: .seconds(20))
            try #require(answered.count == 1, "the bot did not answer: \(started.output)")
            #expect(try Self.cairoLibraries(started.pid).isEmpty)

            await telegram.sendText("/chart RELIANCE", from: alice)
            let photo = try #require(await telegram.waitForCalls("sendPhoto", count: 1, timeout: .seconds(20)).first, "\(started.output)")
            let png = try #require(photo.files["photo"])
            let image = try #require(PNGImage(png))
            #expect(image.width == 1280 && image.height == 720)
            let loaded = try Self.cairoLibraries(started.pid)
            #expect(loaded.isSuperset(of: ["libcairo.so", "libpixman-1.so", "libfontconfig.so"]), "\(loaded)")
        } catch {
            bot?.signal(SIGKILL)
            _ = await bot?.waitForExit()
            await telegram.stop()
            await broker.stop()
            throw error
        }
        bot?.signal(SIGTERM)
        #expect(await bot?.waitForExit() == 0)
        await telegram.stop()
        await broker.stop()
    }
}
