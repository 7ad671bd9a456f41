import Foundation

/// The job kinds an app runs, by name.
public struct JobRegistry<Services: Sendable>: Sendable {
    /// A kind with its parameters' type erased: JSON in, JSON out.
    struct Entry: Sendable {
        let run: @Sendable (_ parameters: String, _ context: JobContext<Services>) async throws -> Outcome
    }

    /// A run's result with its parameters as JSON.
    struct Outcome: Sendable {
        var messages: [OutgoingMessage]
        var storeWork: (@Sendable (isolated BotStore) throws -> Void)?
        var parameters: String?
        var finished: Bool
    }

    let entries: [String: Entry]

    /// Registers `kinds`; two kinds of one name are a programming error.
    public init(_ kinds: [any JobKind<Services>.Type]) {
        var entries: [String: Entry] = [:]
        for kind in kinds {
            precondition(entries[kind.name] == nil, "job kind \(kind.name) registered twice")
            entries[kind.name] = Self.entry(kind)
        }
        self.entries = entries
    }

    /// The registered kinds' names.
    public var names: Set<String> { Set(entries.keys) }

    private static func entry<K: JobKind>(_ kind: K.Type) -> Entry where K.Services == Services {
        Entry { json, context in
            let parameters: K.Parameters
            do {
                parameters = try JSONDecoder().decode(K.Parameters.self, from: Data(json.utf8))
            } catch {
                throw JobFailure("its stored parameters cannot be read (\(error))")
            }
            let result = try await K.run(parameters, context: context)
            return Outcome(messages: result.messages, storeWork: result.storeWork,
                           parameters: try result.parameters.map(JobParameters.encode), finished: result.finished)
        }
    }
}

/// Parameters as stored: JSON with sorted keys, so equal parameters are equal text.
enum JobParameters {
    static func encode(_ parameters: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(parameters), as: UTF8.self)
    }
}

/// Why a job's run failed, as the job's row and the log show it.
public struct JobFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
