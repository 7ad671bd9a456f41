@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// OpenAlgo's `expiry` and `optionchain` through the real client and libcurl against the fake.
@Suite struct OptionEndpointsTests {
    let key = "k-12345678"

    @Test func expiriesComeFromTheDerivativesSegmentAndNoneIsAnEmptyList() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [key])
        let client = OpenAlgoClient(host: fake.host, apiKey: key)
        // The fake refuses NSE and unknown fields, as OpenAlgo does: these answers prove the client sends NFO and nothing more.
        let dates = try await client.expiries(Instrument("RELIANCE", "NSE"))
        #expect(dates.map(\.code) == FakeOpenAlgoOptions.expiries.map { $0.replacingOccurrences(of: "-", with: "") })
        #expect(dates.count == 3 && dates[0].close() > Date().addingTimeInterval(20 * 86_400))
        #expect(try await client.expiries(Instrument("TCS", "NSE")).isEmpty)
        #expect(OpenAlgoClient.derivativesSegment(of: "BSE_INDEX") == "BFO" && OpenAlgoClient.derivativesSegment(of: "MCX") == "MCX")
        await fake.stop()
    }

    @Test func theChainDecodesWithStringsZerosAndUnlistedLegs() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [key])
        let client = OpenAlgoClient(host: fake.host, apiKey: key)
        let expiry = try #require(ExpiryDate(parsing: FakeOpenAlgoOptions.expiries[0]))
        let chain = try await client.optionChain(Instrument("RELIANCE", "NSE"), expiry: expiry, strikeCount: nil, interestRate: 6.5)
        #expect(chain.spot == 1420.10 && chain.atmStrike == 1420 && chain.lotSize == 500 && chain.expiry == expiry)
        #expect(chain.rows.count == 12 && chain.skipped.isEmpty && chain.greeksIncluded)
        // 1320 came as strings, 1340 as numbers: both read the same way.
        let put1320 = try #require(chain.row(at: 1320)?.put)
        #expect(put1320.ltp == 7.25 && put1320.bid == 7.1 && put1320.openInterest == 114_500 && put1320.symbol == "RELIANCE\(expiry.code)1320PE")
        #expect(put1320.label == "OTM5" && put1320.greeks?.delta == -0.1336)
        #expect(chain.row(at: 1340)?.put?.ltp == 10.5)
        let unquoted = try #require(chain.row(at: 1520)?.call)
        #expect(!unquoted.isPriced && unquoted.greeks == nil && unquoted.mid == nil)
        #expect(chain.row(at: 1540)?.call == nil && chain.row(at: 1540)?.put?.isPriced == false)
        let near = try await client.optionChain(Instrument("RELIANCE", "NSE"), expiry: expiry, strikeCount: 2, interestRate: 0)
        #expect(near.rows.map(\.strike) == [1380, 1400, 1420, 1440, 1460])
        await fake.stop()
    }

    @Test func failedOptionQuotesAreA200OfZerosTheChainSaysSo() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [key])
        await fake.failOptionQuotes(true)
        let chain = try await OpenAlgoClient(host: fake.host, apiKey: key)
            .optionChain(Instrument("RELIANCE", "NSE"), expiry: try #require(ExpiryDate(parsing: FakeOpenAlgoOptions.expiries[1])), strikeCount: nil, interestRate: 6.5)
        #expect(chain.rows.count == 12 && !chain.hasPrices && chain.quotesIncluded)
        await fake.stop()
    }

    @Test func anUnknownExpiryOrSymbolIsTheBrokersRefusal() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [key])
        let client = OpenAlgoClient(host: fake.host, apiKey: key)
        await #expect { _ = try await client.optionChain(Instrument("TCS", "NSE"), expiry: try #require(ExpiryDate(parsing: FakeOpenAlgoOptions.expiries[0])), strikeCount: nil, interestRate: 6.5) } throws: { error in
            guard case let BrokerError.server(status, message) = error else { return false }
            return status == 404 && message.hasPrefix("No strikes found for TCS expiring \(FakeOpenAlgoOptions.expiries[0].replacingOccurrences(of: "-", with: ""))")
        }
        // Hostile arguments never reach the broker.
        for (count, rate) in [(0, 6.5), (101, 6.5), (5, Double.nan), (5, .infinity), (5, -1)] {
            await #expect(throws: BrokerError.self) {
                _ = try await client.optionChain(Instrument("RELIANCE", "NSE"), expiry: try #require(ExpiryDate(parsing: FakeOpenAlgoOptions.expiries[0])), strikeCount: count, interestRate: rate)
            }
        }
        #expect(await fake.requests.filter { $0.endpoint == "optionchain" }.count == 1)
        await fake.stop()
    }

    @Test func anAbsurdSpotIsAnUnusableValueABadStrikeCostsOnlyItself() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [key])
        let client = OpenAlgoClient(host: fake.host, apiKey: key)
        let expiry = try #require(ExpiryDate(parsing: "28NOV24"))
        let good = OptionChainDecodingTests.leg("12")
        await fake.setReply("optionchain", body: String(decoding: OptionChainDecodingTests.chain(rows: [
            #"{"strike":24300.0,"ce":\#(good)}"#, #"{"strike":24400.0,"ce":\#(OptionChainDecodingTests.leg("1.75e308"))}"#,
        ]), as: UTF8.self))
        let chain = try await client.optionChain(Instrument("NIFTY", "NSE_INDEX"), expiry: expiry, strikeCount: nil, interestRate: 6.5)
        #expect(chain.rows.map(\.strike) == [24300] && chain.skipped == ["strike 24400: ltp (1.75e+308)"])
        await fake.setReply("optionchain", body: String(decoding: OptionChainDecodingTests.chain(spot: "\"inf\"", rows: []), as: UTF8.self))
        await #expect { _ = try await client.optionChain(Instrument("NIFTY", "NSE_INDEX"), expiry: expiry, strikeCount: nil, interestRate: 6.5) } throws: { error in
            guard case BrokerError.badResponse(.unusableValue(let value)) = error else { return false }
            return value.field == "underlying_ltp"
        }
        await fake.setReply("expiry", body: #"{"status":"success","data":["28-NOV-24","tomorrow"]}"#)
        await #expect { _ = try await client.expiries(Instrument("NIFTY", "NSE_INDEX")) } throws: { error in
            guard case BrokerError.badResponse(.unreadable(let reason)) = error else { return false }
            return reason.contains("tomorrow")
        }
        await fake.stop()
    }

    @Test func theOptionReadsAreRetriedLikeEveryRead() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [key])
        let resilient = ResilientBroker(OpenAlgoClient(host: fake.host, apiKey: key), breaker: CircuitBreaker(),
                                        delays: [.milliseconds(10), .milliseconds(10)])
        await fake.inject(.status(502, message: "bad gateway"), for: "expiry")
        await fake.inject(.status(500, message: "An error occurred while fetching option chain"), for: "optionchain")
        let dates = try await resilient.expiries(Instrument("RELIANCE", "NSE"))
        let chain = try await resilient.optionChain(Instrument("RELIANCE", "NSE"), expiry: dates[0], strikeCount: 1, interestRate: 6.5)
        #expect(chain.rows.count == 3)
        #expect(await fake.requests.filter { $0.endpoint == "expiry" }.count == 2)
        #expect(await fake.requests.filter { $0.endpoint == "optionchain" }.count == 2)
        await fake.stop()
    }
}
