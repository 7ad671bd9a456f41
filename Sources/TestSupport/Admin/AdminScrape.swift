import BotKit
import Foundation

/// A real HTTP GET to the admin listener over loopback, as Prometheus or an operator's curl makes it.
public enum AdminScrape {
    /// The status and body of `path` on `port`; `token` goes in `Authorization: Bearer`. Through libcurl, as the bot's
    /// own calls: Foundation's URLSession on Linux blocks concurrency-pool threads and can starve a test process.
    public static func get(_ path: String, port: UInt16, token: String? = nil, method: String = "GET") async throws -> (status: Int, body: String) {
        var request = HTTPRequest(url: "http://127.0.0.1:\(port)\(path)", timeout: .seconds(10), freshConnection: true)
        request.method = method == "GET" ? nil : method
        if let token { request.headers = ["Authorization: Bearer \(token)"] }
        let response = try await CurlEngine.shared.perform(request)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}

/// Prometheus text format as a scraper reads it: every line a comment or `name{labels} value`.
public enum PrometheusText {
    /// The samples by series (`name{labels}` exactly as written), or nil when any line is not valid exposition.
    public static func samples(_ text: String) -> [String: Double]? {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            guard let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)/) else { return nil }
            let raw = String(match.2)
            guard let value = Double(raw) ?? ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan][raw] else { return nil }
            samples[String(match.1)] = value
        }
        return samples
    }

    /// What `metrics` would serve at `/metrics` now, read as samples; nil when it is not valid exposition.
    public static func samples(of metrics: BotMetrics) async -> [String: Double]? {
        samples(await metrics.exposition())
    }

    /// The sum of every sample of `name` whose labels include each of `labels` (`key="value"`).
    public static func sum(_ samples: [String: Double], _ name: String, _ labels: [String] = []) -> Double {
        samples.filter { key, _ in
            (key == name || key.hasPrefix(name + "{")) && labels.allSatisfy { key.contains($0) }
        }.values.reduce(0, +)
    }
}
