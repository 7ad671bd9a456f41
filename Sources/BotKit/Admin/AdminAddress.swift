import Foundation

/// Where the admin listener binds: `host:port` with an IPv4 or bracketed IPv6 address (`[::1]:9464`).
public struct AdminAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    /// 0 lets the kernel pick a free port (tests).
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `text`, or says why it is not an address this listener can bind.
    public static func parse(_ text: String) -> Result<AdminAddress, AdminAddressError> {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let colon = text.lastIndex(of: ":") else { return .failure(.init("must be host:port, like \"127.0.0.1:9464\"")) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        guard let port = UInt16(text[text.index(after: colon)...]) else {
            return .failure(.init("must end in a port from 0 to 65535, like \"127.0.0.1:9464\""))
        }
        guard isIPv4(host) || isIPv6(host) else {
            return .failure(.init("must name an IP address (not a host name other than localhost), like \"127.0.0.1:9464\""))
        }
        return .success(AdminAddress(host: host, port: port))
    }

    /// True for 127.0.0.0/8 and ::1: only this machine can connect.
    public var isLoopback: Bool {
        host == "::1" || (Self.isIPv4(host) && host.hasPrefix("127."))
    }

    public var isIPv6: Bool { Self.isIPv6(host) }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func isIPv4(_ host: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1
    }

    private static func isIPv6(_ host: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, host, &address) == 1
    }
}

/// Why a listen address was refused.
public struct AdminAddressError: Error, Sendable, Equatable {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
}

/// The admin listener's settings: where it listens and the bearer token it asks for.
public struct AdminSettings: Sendable {
    public var address: AdminAddress
    /// Required off loopback; when set, every request must carry `Authorization: Bearer TOKEN`.
    public var token: String?

    public init(address: AdminAddress, token: String? = nil) {
        self.address = address
        self.token = token
    }
}
