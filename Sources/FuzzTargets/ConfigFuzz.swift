#if DEBUG
import BotKit
import Foundation
import PollBot

/// The TOML config loader on any text: it loads or refuses with a `ConfigError` that names the file (and with it
/// the key or line), never any other error and never a trap.
enum ConfigFuzz {
    static func run(_ data: [UInt8]) throws {
        let text = String(decoding: data, as: UTF8.self)
        do {
            _ = try ConfigLoader.parse(text, fileName: "fuzz.toml", environment: [:])
        } catch let error as ConfigError {
            try require(error.message.hasPrefix("fuzz.toml"), "an error that names neither file, key nor line: \(error.message)")
        } catch {
            throw FuzzViolation(message: "not a ConfigError: \(type(of: error)) \(error)")
        }
    }
}
#endif
