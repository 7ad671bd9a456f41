import ArgumentParser
import BotKit
import Foundation

/// `pollbot user ID`: one user's activity as an operator needs it, never an argument they typed (it may hold a key).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "One user's activity: first and last seen, totals, the last 10 commands (names only), linked accounts, disabled.")
    @OptionGroup var options: ConfigOption
    @Argument(help: "The Telegram user id.") var id: Int64

    func run() async throws {
        // No instance lock: SQLite's WAL lets this read beside the running bot.
        let store = try await TraderApp.openStore(path: try options.load().storage.path)
        guard let activity = try await store.userActivity(id) else { throw failure("user \(id) has never used this bot", code: 1) }
        print(Self.report(activity, accounts: try await store.accounts(of: id).count))
    }

    /// The printed report, times in UTC (ISO 8601).
    static func report(_ activity: UserActivity, accounts: Int, now: Date = Date()) -> String {
        let time = ISO8601DateFormatter()
        let ageDays = max(0, Int(now.timeIntervalSince(activity.firstSeen) / 86_400))
        let name = [activity.username.map { "@\($0)" }, activity.firstName].compactMap { $0 }.joined(separator: " ")
        var lines = [
            "user \(activity.userID)" + (name.isEmpty ? "" : " (\(name))"),
            "first seen   \(time.string(from: activity.firstSeen)) (\(ageDays) days ago)",
            "last seen    \(time.string(from: activity.lastActive))",
            "commands     \(activity.commands), failed \(activity.failures)",
            "accounts     \(accounts) linked",
            "disabled     " + (activity.disabledAt.map { "yes, since \(time.string(from: $0))" } ?? "no"),
            "",
            "last \(activity.recent.count) commands:",
        ]
        lines += activity.recent.map { "\(time.string(from: $0.startedAt))\t\($0.command)\t\($0.outcome.rawValue)" }
        return lines.joined(separator: "\n")
    }
}

/// `pollbot users --disable ID` / `--enable ID`: a disabled user is refused like a stranger from their next update
/// on, and their alerts, summaries and order notices stop; admins cannot be disabled.
enum UserSwitch {
    static func run(disable: Int64?, enable: Int64?, options: ConfigOption) async throws {
        guard (disable == nil) != (enable == nil) else { throw failure("give one of --disable ID or --enable ID", code: 64) }
        let config = try options.load()
        let id = disable ?? enable ?? 0
        if disable != nil, config.security.admins.contains(id) {
            throw failure("user \(id) is an admin ([security] admins) and cannot be disabled; remove them from admins first", code: 1)
        }
        let store = try await TraderApp.openStore(path: config.storage.path)
        switch try await store.setUserDisabled(id, disable != nil) {
        case .unknown:
            throw failure("user \(id) has never used this bot; to keep someone out who never came, use [security] allowed_users",
                          code: 1)
        case .unchanged:
            print("user \(id) was already \(disable != nil ? "disabled" : "enabled")")
        case .changed:
            print(disable != nil
                  ? "disabled user \(id): refused like a stranger from their next message, no more alerts or summaries"
                  : "enabled user \(id): served again from their next message")
        }
    }
}
