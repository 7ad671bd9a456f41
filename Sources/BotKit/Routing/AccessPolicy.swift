import Synchronization

/// Who may use the bot: `[security] allowed_users` (empty = anyone) and `admins`, less the users an operator disabled.
public final class AccessPolicy: Sendable {
    /// The answer for one user.
    public enum Verdict: Equatable, Sendable {
        case allow
        /// Refuse politely, the first time only.
        case refuse
        /// Already refused once: say nothing.
        case ignore
    }

    /// How many refused strangers are remembered. Past it the longest-remembered one is forgotten and would be
    /// refused once more: a flood of new accounts cannot grow memory without bound.
    public static let defaultRefusedCapacity = 10_000

    private struct Refused {
        var members: Set<Int64> = []
        var order = FIFO<Int64>()
    }

    private let allowed: Set<Int64>
    private let admins: Set<Int64>
    private let capacity: Int
    private let refused = Mutex(Refused())
    private let isDisabled: (@Sendable (Int64) async -> Bool)?

    /// `isDisabled` asks the store whether an operator disabled a user (`pollbot users --disable`); admins never are.
    public init(allowedUsers: [Int64], admins: [Int64], refusedCapacity: Int = AccessPolicy.defaultRefusedCapacity,
                isDisabled: (@Sendable (Int64) async -> Bool)? = nil) {
        self.allowed = Set(allowedUsers)
        self.admins = Set(admins)
        capacity = max(1, refusedCapacity)
        self.isDisabled = isDisabled
    }

    /// The verdict for `userID`, a disabled user counting as a stranger: read on every update, so a change made
    /// while the bot runs holds from the next one.
    public func verdict(_ userID: Int64) async -> Verdict {
        guard isAllowed(userID) else { return check(userID) }
        guard !admins.contains(userID), let isDisabled, await isDisabled(userID) else { return .allow }
        return rememberRefusal(userID)
    }

    /// True when `userID` is let in and not disabled.
    public func admits(_ userID: Int64) async -> Bool {
        guard isAllowed(userID) else { return false }
        guard !admins.contains(userID), let isDisabled else { return true }
        return await !isDisabled(userID)
    }

    /// The verdict for `userID` by the config alone; a stranger's first check returns `.refuse`, later ones `.ignore`.
    public func check(_ userID: Int64) -> Verdict {
        if isAllowed(userID) { return .allow }
        return rememberRefusal(userID)
    }

    private func rememberRefusal(_ userID: Int64) -> Verdict {
        refused.withLock { state in
            guard state.members.insert(userID).inserted else { return .ignore }
            state.order.append(userID)
            if state.order.count > capacity, let oldest = state.order.popFirst() { state.members.remove(oldest) }
            return .refuse
        }
    }

    /// True for users `allowed_users` and `admins` let in; asking changes nothing.
    public func isAllowed(_ userID: Int64) -> Bool {
        allowed.isEmpty || allowed.contains(userID) || admins.contains(userID)
    }

    /// The one reply a stranger gets.
    public static func refusal(userID: Int64) -> String {
        "This bot is private. Your Telegram user id is <code>\(userID)</code>: ask the bot's owner to add it to allowed_users."
    }
}
