import BotKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real HTTP GET to the admin listener over loopback, as Prometheus or an operator's curl makes it.
public enum AdminScrape {
    /// The status and body of `path` on `port`; `token` goes in `Authorization: Bearer`.
    public static func get(_ path: String, port: UInt16, token: String? = nil, method: String = "GET") async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 10
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
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
