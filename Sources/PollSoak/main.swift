import Foundation
import TestSupport

// pollbot-soak [--short] [--updates N] [--users N] [--kills N] [--seconds N] [--seed N]
// Runs the chaos soak against the `pollbot` built next to this executable; exits 1 when a promise broke.
/// Writes a line at once (not buffered as print is in a pipe), so progress shows while the soak runs.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
var plan = SoakPlan.full
var arguments = CommandLine.arguments.dropFirst()
@MainActor func number(_ flag: String) -> Int {
    guard let text = arguments.popFirst(), let value = Int(text), value > 0 else {
        FileHandle.standardError.write(Data("pollbot-soak: \(flag) needs a whole number above 0\n".utf8))
        exit(64)
    }
    return value
}
while let flag = arguments.popFirst() {
    switch flag {
    case "--short": plan = .short
    case "--updates": plan.updates = number(flag)
    case "--users": plan.users = number(flag)
    case "--kills": plan.kills = number(flag)
    case "--seconds": plan.duration = .seconds(number(flag))
    case "--seed": plan.seed = UInt64(number(flag))
    case "--telegram-faults": plan.telegramFaultRate = Double(number(flag) - 1) / 100
    default:
        FileHandle.standardError.write(Data("usage: pollbot-soak [--short] [--updates N] [--users N] [--kills N] [--seconds N] [--seed N] [--telegram-faults PERCENT+1]\n".utf8))
        exit(64)
    }
}
guard plan.updates >= plan.users else {
    FileHandle.standardError.write(Data("pollbot-soak: --updates must be at least --users (each user links first)\n".utf8))
    exit(64)
}
let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pollbot")
guard FileManager.default.isExecutableFile(atPath: executable.path) else {
    FileHandle.standardError.write(Data("pollbot-soak: no pollbot next to this executable; build it first\n".utf8))
    exit(69)
}
say("chaos soak: \(plan.updates) updates from \(plan.users) users, \(plan.kills) kills over about \(plan.duration), seed \(plan.seed)")
let report = try await SoakDriver(plan: plan, executable: executable) { line in say("  \(line)") }.run()
say(report.text)
exit(report.violations.isEmpty ? 0 : 1)
