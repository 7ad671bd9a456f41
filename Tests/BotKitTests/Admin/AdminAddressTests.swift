import BotKit
import Testing

/// Listen addresses: what binds, what is loopback, and clear refusals for the rest.
@Suite struct AdminAddressTests {
    @Test func loopbackAndOtherAddressesParse() throws {
        #expect(try AdminAddress.parse("127.0.0.1:9464").get() == AdminAddress(host: "127.0.0.1", port: 9464))
        #expect(try AdminAddress.parse("localhost:0").get() == AdminAddress(host: "127.0.0.1", port: 0))
        #expect(try AdminAddress.parse("[::1]:9464").get().isLoopback)
        #expect(try AdminAddress.parse("127.8.9.10:1").get().isLoopback)
        #expect(try !AdminAddress.parse("0.0.0.0:9464").get().isLoopback)
        #expect(try !AdminAddress.parse("192.168.1.5:9464").get().isLoopback)
        #expect(try !AdminAddress.parse("[::]:9464").get().isLoopback)
        #expect(try AdminAddress.parse("[::1]:9464").get().description == "[::1]:9464")
    }

    @Test(arguments: ["", "9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:1e308",
                      "example.com:9464", "127.0.0.1:nan", "::1:9464x", "1.2.3.4.5:80"])
    func hostileAddressesAreRefusedWithAReason(_ text: String) {
        guard case .failure(let error) = AdminAddress.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.problem.contains("must"))
    }
}
