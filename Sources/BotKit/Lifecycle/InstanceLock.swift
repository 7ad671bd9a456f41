import Foundation
import Synchronization

/// An exclusive lock beside the database, so a second pollbot on the same data refuses to start.
public final class InstanceLock: Sendable {
    /// The lock file's descriptor while held; -1 once released.
    private let descriptor: Mutex<Int32>

    /// Takes the lock at `databasePath + ".lock"` or throws `BotStartupError.alreadyRunning`.
    public init(databasePath: String) throws {
        let path = databasePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw BotStartupError.config("cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw BotStartupError.alreadyRunning(
                "another pollbot is already running on \(databasePath) (lock \(path) is held); stop it first")
        }
        descriptor = Mutex(fd)
    }

    /// Lets another bot take the lock: a bot whose run has returned writes nothing more.
    public func release() {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    deinit { release() }
}
