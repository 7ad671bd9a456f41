import Foundation

/// The status page as one self-contained HTML document: inline CSS, no script, no font or image from elsewhere,
/// so it renders on an operator's laptop with no internet. Every piece of text from the store is escaped.
enum StatusHTML {
    static func render(_ page: StatusSnapshot) -> String {
        var body = overview(page)
        if let figures = page.figures {
            body += traffic(page, figures) + queues(figures) + users(figures) + commands(figures) + conversations(figures)
        } else {
            body += section("figures", "Figures", "<p class=\"bad\">\(escape(page.figuresProblem ?? "unavailable"))</p>")
        }
        body += page.sections.map(appSection).joined()
        if let figures = page.figures { body += failures(figures) }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="refresh" content="30">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>pollbot status</title>
            <style>\(style)</style></head>
            <body><header><h1>pollbot status</h1><p class="muted">\(escape(timestamp(page.generatedAt))), refreshed every 30 s</p></header>
            <main>\(body)</main></body></html>
            """
    }

    private static func overview(_ page: StatusSnapshot) -> String {
        let checks = page.readiness.checks.map { check in
            row([check.name, check.ok ? "ok" : check.detail ?? "failing"], classes: ["", check.ok ? "good" : "bad"])
        }.joined()
        return section("overview", "Overview", """
            <table class="pairs">\(pair("Version", page.version, "version"))\(pair("Uptime", duration(page.uptime), "uptime"))\
            \(pair("Ready", page.readiness.ready ? "yes" : "no", "ready", page.readiness.ready ? "good" : "bad"))</table>
            <table><thead>\(row(["Readiness check", "State"], header: true))</thead><tbody>\(checks)</tbody></table>
            """)
    }

    private static func traffic(_ page: StatusSnapshot, _ figures: StatusFigures) -> String {
        let rate = page.errorRate
        let rateClass = (rate ?? 0) >= 5 ? "bad" : (rate ?? 0) >= 2 ? "warn" : "good"
        let latency = figures.latency
        return section("traffic", "Traffic", """
            <table class="pairs">\(pair("Updates per minute (last 5 min)", decimal(page.updatesPerMinute), "updates-per-minute"))\
            \(pair("Error rate (last 15 min)", rate.map { decimal($0) + " %" } ?? "no commands",
                   "error-rate", rateClass))\
            \(pair("Commands (last 15 min)", "\(figures.commandsLast15Minutes), \(figures.errorsLast15Minutes) failed", "commands-15m"))\
            \(pair("Latency p50 (24 h)", milliseconds(latency.p50), "latency-p50"))\
            \(pair("Latency p95 (24 h)", milliseconds(latency.p95), "latency-p95"))\
            \(pair("Latency p99 (24 h)", milliseconds(latency.p99), "latency-p99"))\
            \(pair("Commands timed (24 h)", "\(latency.count)", "latency-count"))</table>
            """)
    }

    private static func queues(_ figures: StatusFigures) -> String {
        section("queues", "Queues", """
            <table class="pairs">\(pair("Outbox depth", "\(figures.outboxDepth)", "outbox-depth"))\
            \(pair("Oldest outbox row", duration(figures.outboxOldestAge), "outbox-oldest"))\
            \(pair("Inbox pending", "\(figures.inboxPending)", "inbox-pending"))</table>
            """)
    }

    private static func users(_ figures: StatusFigures) -> String {
        section("users", "Users", """
            <table class="pairs">\(pair("Total", "\(figures.usersTotal)", "users-total"))\
            \(pair("Active today (DAU)", "\(figures.usersDaily)", "users-dau"))\
            \(pair("Active this week (WAU)", "\(figures.usersWeekly)", "users-wau"))</table>
            """)
    }

    private static func commands(_ figures: StatusFigures) -> String {
        let rows = figures.commands.map { stat in
            row([stat.command, "\(stat.count)", decimal(stat.successRate * 100) + " %", "\(stat.p95Milliseconds) ms"],
                classes: ["", "num", "num", "num"])
        }
        return section("commands", "Most used commands (last 7 days)",
                       table(["Command", "Runs", "Success", "p95"], rows, empty: "no commands in the last 7 days"))
    }

    private static func conversations(_ figures: StatusFigures) -> String {
        let rows = figures.conversations.map { stat in
            row([stat.name, "\(stat.started)", "\(stat.completed)", "\(stat.cancelled)", "\(stat.timedOut)"],
                classes: ["", "num", "num", "num", "num"])
        }
        let started = figures.conversations.reduce(0) { $0 + $1.started }
        let completed = figures.conversations.reduce(0) { $0 + $1.completed }
        return section("conversations", "Conversations (last 7 days)", """
            <table class="pairs">\(pair("Started", "\(started)", "conversations-started"))\
            \(pair("Completed", "\(completed)", "conversations-completed"))</table>
            \(table(["Conversation", "Started", "Completed", "Cancelled", "Timed out"], rows, empty: "no conversations in the last 7 days"))
            """)
    }

    private static func appSection(_ entry: (title: String, table: Result<StatusTable, StatusSectionError>)) -> String {
        let content: String
        switch entry.table {
        case .success(let data):
            content = table(data.header, data.rows.map { row($0) }, empty: data.emptyNote)
        case .failure(let error):
            content = "<p class=\"bad\">\(escape(error.description))</p>"
        }
        return section(slug(entry.title), entry.title, content)
    }

    private static func failures(_ figures: StatusFigures) -> String {
        let rows = figures.failures.map { failure in
            row([timestamp(failure.at), failure.source, failure.what, failure.errorID ?? "-", String(failure.detail.prefix(300))],
                classes: ["", "", "", "mono", ""])
        }
        return section("failures", "Last \(StatusFigures.failureLimit) failures",
                       table(["When", "Where", "What", "Error id", "Detail"], rows, empty: "no failures recorded"))
    }

    // MARK: pieces

    private static func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section id=\"\(escape(id))\"><h2>\(escape(title))</h2>\(content)</section>\n"
    }

    private static func pair(_ label: String, _ value: String, _ id: String, _ valueClass: String = "") -> String {
        "<tr><th>\(escape(label))</th><td id=\"\(id)\" class=\"num \(valueClass)\">\(escape(value))</td></tr>"
    }

    private static func table(_ header: [String], _ rows: [String], empty: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(escape(empty))</p>" }
        return "<table><thead>\(row(header, header: true))</thead><tbody>\(rows.joined())</tbody></table>"
    }

    private static func row(_ cells: [String], header: Bool = false, classes: [String] = []) -> String {
        let tag = header ? "th" : "td"
        let inner = cells.enumerated().map { index, cell in
            let cls = index < classes.count && !classes[index].isEmpty ? " class=\"\(classes[index])\"" : ""
            return "<\(tag)\(cls)>\(escape(cell))</\(tag)>"
        }.joined()
        return "<tr>\(inner)</tr>"
    }

    /// Text as HTML text or as a double-quoted attribute value: Telegram's escaping covers both.
    static func escape(_ text: String) -> String { HTML.escape(text) }

    /// An id from a title: lower-case letters and digits, the rest as dashes.
    static func slug(_ title: String) -> String {
        let mapped = title.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-" }
        return "app-" + String(mapped)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let total = Int(min(seconds, 1e12))
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60, rest = total % 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        if minutes > 0 { return "\(minutes) min \(rest) s" }
        return "\(rest) s"
    }

    private static func milliseconds(_ value: Int?) -> String { value.map { "\($0) ms" } ?? "no commands" }

    private static func decimal(_ value: Double) -> String {
        value.isFinite ? FixedPoint.format(value, decimals: 1) : "-"
    }

    /// `yyyy-MM-dd HH:mm:ss UTC`, or "-" for a date no calendar can show. The C library's gmtime_r, not
    /// DateFormatter: ICU's formatter and its data added about 3 MB to the resident set of a bot that formats no other
    /// date that way (`pollbot-bench scrape`).
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        // Years 1 to 9999 fit the format; a non-finite date has no calendar at all.
        guard seconds.isFinite, seconds >= -62_135_596_800, seconds < 253_402_300_800 else { return "-" }
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "-" }
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2)) "
            + "\(digits(parts.tm_hour, 2)):\(digits(parts.tm_min, 2)):\(digits(parts.tm_sec, 2)) UTC"
    }

    private static let style = """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1d232b}\
        header{background:#1d2a3a;color:#fff;padding:12px 24px}h1{margin:0;font-size:20px}header .muted{color:#c4ccd6}\
        main{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px;padding:16px 24px}\
        section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px 16px 12px}\
        section#failures,section#commands{grid-column:1/-1}h2{font-size:16px;margin:8px 0}\
        table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eef0f3}\
        thead th{background:#f0f2f5;font-weight:600}table.pairs th{font-weight:normal;width:60%}\
        .num{font-variant-numeric:tabular-nums}.mono{font-family:ui-monospace,monospace}\
        .good{color:#17733a}.warn{color:#a36100}.bad{color:#b3261e;font-weight:600}.muted{color:#68717d;margin:4px 0}
        """
}
