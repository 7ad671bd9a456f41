import PollBot

/// The `pollbot` binary: everything it does lives in the PollBot library, so tests can import all of it.
@main
enum PollBotMain {
    static func main() async {
        await PollBotCLI.main()
    }
}
