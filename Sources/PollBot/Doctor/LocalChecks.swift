import BotKit
import Foundation

/// The doctor's checks of this machine: the key file, the database directory, the time zone, the chart library.
enum LocalChecks {
    /// The master key as the bot will open it: a regular 32-byte file, not a link, owned by the user running
    /// pollbot, readable by nobody else. Only its metadata is read, never the key.
    static func keyFile(_ path: String, environment: [String: String]) -> DoctorLine {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT {
                return DoctorLine(.fail, "key file", "\(path) does not exist",
                                  fix: "pollbot keygen --out \(path), or point [security] key_file at your key")
            }
            return DoctorLine(.fail, "key file", "\(path) cannot be read: \(String(cString: strerror(errno)))",
                              fix: "check the directories on the way to it")
        }
        let mode = String(info.st_mode & 0o777, radix: 8)
        guard info.st_mode & S_IFMT == S_IFREG else {
            return DoctorLine(.fail, "key file", "\(path) is \(info.st_mode & S_IFMT == S_IFLNK ? "a symbolic link" : "not a regular file")",
                              fix: "set [security] key_file to the key file itself")
        }
        guard info.st_size == MasterKey.size else {
            return DoctorLine(.fail, "key file", "\(path) has \(info.st_size) bytes, not \(MasterKey.size)",
                              fix: "it is not a pollbot key; make one with pollbot keygen --out FILE")
        }
        if let directory = environment["CREDENTIALS_DIRECTORY"], (path as NSString).deletingLastPathComponent == directory {
            return DoctorLine(.ok, "key file", "\(path), the systemd credential \(SystemdCredentials.masterKey) (mode \(mode))")
        }
        if info.st_mode & 0o177 != 0 {
            return DoctorLine(.fail, "key file", "\(path) has mode \(mode): group or others may read or write it, and pollbot refuses it",
                              fix: "chmod 600 \(path)")
        }
        let owner = info.st_uid, me = geteuid()
        if owner != me {
            // root checking the service's key: the owner must be the unit's User=, which root cannot know from here.
            if me == 0 {
                return DoctorLine(.warn, "key file", "\(path) (mode \(mode)) belongs to \(userName(owner)), not to root running this check",
                                  fix: "fine if the service runs as \(userName(owner)); else chown it to the unit's User=, "
                                      + "or hand it over with LoadCredential=\(SystemdCredentials.masterKey):\(path)")
            }
            return DoctorLine(.fail, "key file", "\(path) belongs to \(userName(owner)), not to \(userName(me)) running pollbot",
                              fix: "chown \(userName(me)) \(path)")
        }
        return DoctorLine(.ok, "key file", "\(path) (mode \(mode), owner \(userName(owner)))")
    }

    /// The database's directory exists and takes a new file; an existing database file must be writable too.
    static func database(_ path: String) -> DoctorLine {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return DoctorLine(.fail, "database", "the directory \(directory) of \(path) does not exist",
                              fix: "mkdir -p \(directory) and give it to the bot's user (systemd's StateDirectory=pollbot makes /var/lib/pollbot)")
        }
        guard isDirectory.boolValue else {
            return DoctorLine(.fail, "database", "\(directory) is not a directory", fix: "set [storage] path to a file in a directory")
        }
        // A real file, as SQLite will make its -wal and -shm files: access() would trust permissions a read-only mount ignores.
        var template = Array((directory + "/.pollbot-doctor-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            return DoctorLine(.fail, "database", "\(directory) does not take new files: \(String(cString: strerror(errno)))",
                              fix: "chown the directory to the bot's user, or set [storage] path to a writable place")
        }
        close(fd)
        unlink(template)
        if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 {
            return DoctorLine(.fail, "database", "\(path) exists but is read-only", fix: "chown/chmod it for the bot's user")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).flatMap { $0 }
        return DoctorLine(.ok, "database", size.map { "\(path) is writable (\($0) bytes)" } ?? "\(directory) is writable; \(path) will be created")
    }

    /// `[broker] time_zone` names a zone this machine's time zone data knows.
    static func timeZone(_ name: String?) -> DoctorLine {
        let name = name ?? "Asia/Kolkata"
        // The loader's own test (tzdata), so doctor passes exactly the zones the bot accepts.
        guard let zone = ZoneRules.named(name) else {
            return DoctorLine(.fail, "time zone", "\"\(name)\" is not a known time zone",
                              fix: "set [broker] time_zone to a name such as \"Asia/Kolkata\" or \"UTC\" (see timedatectl list-timezones)")
        }
        return DoctorLine(.ok, "time zone", "\(name), now \(zone.civil(Date()).clock()) there")
    }

    /// Whether charts can be drawn: cairo, which the bot opens only at its first chart, opens here and now.
    /// A warning, not a failure: without it only charts are missing.
    static func charts(_ library: Result<CairoLibrary, CairoUnavailable> = CairoLibrary.shared) -> DoctorLine {
        switch library {
        case let .success(cairo):
            return DoctorLine(.ok, "charts", "\(CairoLibrary.soname) loads (cairo \(cairo.version)): charts can be drawn")
        case let .failure(error):
            return DoctorLine(.warn, "charts", "\(error.library) cannot be loaded (\(error.reason)): /chart and /performance will reply that charts are unavailable",
                              fix: "apt-get install libcairo2 fonts-dejavu-core")
        }
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }
}
