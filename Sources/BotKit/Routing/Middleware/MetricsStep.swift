/// Counts every update the chain sees, its outcome and how long it took; outermost, so its time covers every
/// step and the handler.
public struct MetricsStep: UpdateMiddleware {
    let metrics: BotMetrics

    public init(_ metrics: BotMetrics) { self.metrics = metrics }

    public func after(_ request: UpdateRequest, _ response: inout RouterResponse) async {
        // Labels come from the registry, never from what was typed: a user inventing commands cannot add series.
        let command = request.isButton ? "button" : request.command.map { "/\($0.name)" } ?? (request.parsed == nil ? "text" : "unknown")
        let kind = request.isButton ? "button" : request.parsed == nil ? "text" : "command"
        let failed = response.outcome == .error
        metrics.count(failed ? "pollbot_updates_failed_total" : "pollbot_updates_handled_total", [("kind", kind)])
        if response.outcome == .rateLimited { metrics.count("pollbot_rate_limit_refusals_total") }
        metrics.count("pollbot_commands_total", [("command", command), ("outcome", response.outcome.rawValue)])
        metrics.time("pollbot_command_duration_seconds", [("command", command)], request.started.duration(to: .now))
    }
}
