import Foundation

/// A table the app adds to the status page: a header and rows of plain text (the page escapes it).
public struct StatusTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]
    /// Shown instead of an empty table.
    public var emptyNote: String

    public init(header: [String], rows: [[String]], emptyNote: String = "none") {
        self.header = header
        self.rows = rows
        self.emptyNote = emptyNote
    }
}

/// One section the app contributes to the status page (breaker states, alerts armed), read each time the page is served.
public struct StatusSection: Sendable {
    public var title: String
    public var read: @Sendable () async throws -> StatusTable

    public init(_ title: String, read: @escaping @Sendable () async throws -> StatusTable) {
        self.title = title
        self.read = read
    }
}

/// Everything the page shows at one moment.
public struct StatusSnapshot: Sendable {
    public var version: String
    public var generatedAt: Date
    public var uptime: TimeInterval
    public var readiness: ReadinessReport
    /// nil when the store could not be read (the page then says why).
    public var figures: StatusFigures?
    public var figuresProblem: String?
    /// The app's sections in order: its table, or what went wrong reading it.
    public var sections: [(title: String, table: Result<StatusTable, StatusSectionError>)]

    /// Updates received per minute over the last 5 minutes.
    public var updatesPerMinute: Double { Double(figures?.updatesLast5Minutes ?? 0) / 5 }

    /// Errors over logged commands in the last 15 minutes, in percent; nil when none ran.
    public var errorRate: Double? {
        guard let figures, figures.commandsLast15Minutes > 0 else { return nil }
        return Double(figures.errorsLast15Minutes) / Double(figures.commandsLast15Minutes) * 100
    }
}

/// Why an app section could not be read, in words.
public struct StatusSectionError: Error, Sendable {
    public var description: String
}

/// The read-only status page of the admin listener (`GET /`): the engine's figures from the store, the readiness
/// test, and the app's sections. It runs in the listener's task; the store's reads run on the store's executor.
public struct StatusPage: Sendable {
    let store: BotStore
    let version: String
    let startedAt: Date
    let readiness: Readiness
    let knownCommands: Set<String>
    let sections: [StatusSection]
    let now: @Sendable () -> Date

    /// `knownCommands` are the names the command log may show as they are (e.g. "/start"); any other is folded
    /// into "/(unknown)". `now` is the wall clock (tests inject it).
    public init(store: BotStore, version: String, startedAt: Date, readiness: Readiness, knownCommands: Set<String>,
                sections: [StatusSection] = [], now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.version = version
        self.startedAt = startedAt
        self.readiness = readiness
        self.knownCommands = knownCommands.union(["button", "text", "/(unknown)"])
        self.sections = sections
        self.now = now
    }

    /// The page's figures now.
    public func snapshot() async -> StatusSnapshot {
        let at = now()
        var figures: StatusFigures?, problem: String?
        do {
            figures = try await store.statusFigures(now: at, knownCommands: knownCommands)
        } catch {
            problem = "the database could not be read: \(error)"
        }
        var tables: [(title: String, table: Result<StatusTable, StatusSectionError>)] = []
        for section in sections {
            do {
                tables.append((section.title, .success(try await section.read())))
            } catch {
                tables.append((section.title, .failure(StatusSectionError(description: "could not be read: \(error)"))))
            }
        }
        return StatusSnapshot(version: version, generatedAt: at, uptime: max(0, at.timeIntervalSince(startedAt)),
                              readiness: await readiness.evaluate(), figures: figures, figuresProblem: problem, sections: tables)
    }

    /// The page as HTML.
    public func html() async -> String {
        StatusHTML.render(await snapshot())
    }
}
