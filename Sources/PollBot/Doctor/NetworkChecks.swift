import BotKit
import Foundation

/// The doctor's checks that reach out: Telegram's getMe, each OpenAlgo host, the admin listener's port.
enum NetworkChecks {
    /// Asks Telegram who the bot is with the configured token; errors carry Telegram's description, never the URL.
    static func telegram(apiURL: String, token: String, timeout: Duration, engine: any HTTPTransport) async -> DoctorLine {
        let client = TelegramClient(apiURL: apiURL, token: token, engine: engine, requestTimeout: timeout)
        do {
            let me = try await client.getMe()
            return DoctorLine(.ok, "telegram", "token accepted by \(apiURL): @\(me.username) (id \(me.id))")
        } catch let error as TelegramError {
            switch error {
            case let .api(code, description, _, _) where code == 401 || code == 404:
                // Telegram answers 404 to a token of the wrong shape and 401 to a revoked or mistyped one.
                return DoctorLine(.fail, "telegram", "\(code): \(description)",
                                  fix: "the token was revoked or mistyped, get a new one from @BotFather")
            case .transport(let transport):
                return DoctorLine(.fail, "telegram", "\(apiURL) cannot be reached: \(transport.message)",
                                  fix: "check DNS, the firewall or proxy, and [telegram] api_url")
            default:
                return DoctorLine(.fail, "telegram", "getMe failed: \(error.description)",
                                  fix: "check [telegram] api_url points at the Bot API")
            }
        } catch {
            return DoctorLine(.fail, "telegram", "getMe failed: \(error)", fix: "check [telegram] api_url")
        }
    }

    /// Whether `host` answers HTTP at all: any status will do, since no API key is sent and none is checked.
    static func broker(host: String, connectTimeout: Int, engine: any HTTPTransport) async -> DoctorLine {
        let started = ContinuousClock.now
        let request = HTTPRequest(url: host + "/", timeout: .seconds(10), connectTimeout: .seconds(connectTimeout),
                                  maxResponseBytes: 64 << 10)
        do {
            let response = try await engine.perform(request)
            let elapsed = (ContinuousClock.now - started).wholeMilliseconds
            return DoctorLine(.ok, "broker", "\(host) answered (HTTP \(response.status), \(elapsed) ms)")
        } catch let error as HTTPTransportError {
            return DoctorLine(.fail, "broker", "\(host) cannot be reached: \(error.message)",
                              fix: "is OpenAlgo running there? check [broker] host/hosts, the firewall, and that the port is right")
        } catch {
            return DoctorLine(.fail, "broker", "\(host) cannot be reached: \(error)", fix: "check [broker] host/hosts")
        }
    }

    /// Binds the listener's address for a moment, as the bot would; EADDRINUSE means something already listens there.
    static func adminPort(_ settings: AdminSettings?) -> DoctorLine {
        guard let settings else { return DoctorLine(.ok, "admin port", "the admin listener is off ([admin] listen is empty)") }
        let address = settings.address
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return DoctorLine(.fail, "admin port", "no socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var yes: Int32 = 1
        // The listener sets it too: a port in TIME_WAIT after a restart is free for it.
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if address.isIPv6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &socketAddress.sin6_addr)
            result = bind(fd, to: &socketAddress)
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &socketAddress.sin_addr)
            result = bind(fd, to: &socketAddress)
        }
        guard result == 0 else {
            let reason = errno
            switch reason {
            case EADDRINUSE:
                return DoctorLine(.fail, "admin port", "\(address) is in use",
                                  fix: "is pollbot already running? (ss -ltnp 'sport = :\(address.port)' names the program), or pick another [admin] listen port")
            case EADDRNOTAVAIL:
                return DoctorLine(.fail, "admin port", "\(address) is not an address of this machine", fix: "set [admin] listen to 127.0.0.1:PORT")
            default:
                return DoctorLine(.fail, "admin port", "\(address) cannot be bound: \(String(cString: strerror(reason)))",
                                  fix: "ports below 1024 need privileges the unit does not give: use a port above 1024")
            }
        }
        let exposure = address.isLoopback ? "loopback only" : "reachable from other machines, token required"
        return DoctorLine(.ok, "admin port", "\(address) is free (\(exposure))")
    }

    private static func bind<Address>(_ fd: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }
}
