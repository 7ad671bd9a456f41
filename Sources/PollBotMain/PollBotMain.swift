import BotKit
import PollBot

/// The `pollbot` binary: everything it does lives in the PollBot library, so tests can import all of it.
@main
enum PollBotMain {
    static func main() async {
        // Before the first await: only then is the main thread the only one.
        Heap.useOneArena()
        // This process is the bot's alone: it may give back the pages start-up used.
        CleanPages.enableForThisProcess()
        await PollBotCLI.main()
    }
}
