import BotKit
import Foundation
import PollBot
import TestSupport

/// The bot.toml of an in-process rig: the store and a master key (made once) in `directory`, `security` lines in
/// [security], then `sections` ([broker] and whatever else the rig needs). Restarted rigs pass the same directory.
enum RigConfig {
    static func parse(in directory: TemporaryDirectory, security: String = "", _ sections: String) throws -> BotConfig {
        let keyFile = directory.file("master.key")
        if !FileManager.default.fileExists(atPath: keyFile) { _ = try MasterKey.generate(to: keyFile) }
        return try ConfigLoader.parse("""
            [telegram]
            token = "123456:TEST"
            [storage]
            path = "\(directory.file("pollbot.sqlite3"))"
            [security]
            key_file = "\(keyFile)"
            \(security)
            \(sections)
            """)
    }
}
