import BotKit
import Foundation
@testable import PollBot
import Testing

/// `[trading]`: off by default with sensible limits; every key range-checked with its key and line.
@Suite struct TradingSettingsTests {
    let base = "[telegram]\ntoken = \"1:abc\"\n[trading]\n"

    func message(_ text: String) -> String {
        do {
            _ = try ConfigLoader.parse(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func tradingIsOffByDefaultWithSensibleLimits() throws {
        let trading = try ConfigLoader.parse("[telegram]\ntoken = \"1:abc\"\n").trading
        #expect(!trading.enabled && trading.users.isEmpty && trading.priceBandPercent == 5 && trading.marketHoursOnly)
        #expect(trading.confirmSeconds == 30 && trading.maxOrdersPerDay == 20 && trading.exchanges == ["NSE", "BSE", "NFO", "BFO"])
        let set = try ConfigLoader.parse(base + """
            enabled = true
            users = [1, 2]
            max_order_value = 25000.5
            max_quantity = 100
            exchanges = ["nse"]
            products = ["MIS"]
            price_band_percent = 2
            market_hours_only = false
            max_orders_per_day = 3
            confirm_seconds = 60
            """).trading
        #expect(set.enabled && set.users == [1, 2] && set.maxOrderValue == 25000.5 && set.maxQuantity == 100)
        #expect(set.exchanges == ["NSE"] && set.products == [.mis] && set.priceBandPercent == 2 && !set.marketHoursOnly)
        #expect(set.maxOrdersPerDay == 3 && set.confirmSeconds == 60)
    }

    @Test func eachKeyIsRangeCheckedWithItsLine() {
        #expect(message(base + "max_order_value = 0\n") == "bot.toml line 4: trading.max_order_value must be an amount above 0 and at most 10^12")
        #expect(message(base + "max_order_value = nan\n").hasPrefix("bot.toml line 4: trading.max_order_value must be"))
        #expect(message(base + "max_order_value = inf\n").hasPrefix("bot.toml line 4: trading.max_order_value must be"))
        #expect(message(base + "max_quantity = 0\n") == "bot.toml line 4: trading.max_quantity must be from 1 to 10000000 units")
        #expect(message(base + "exchanges = [\"NYSE\"]\n").hasPrefix("bot.toml line 4: trading.exchanges must list exchanges from NSE"))
        #expect(message(base + "exchanges = []\n").hasPrefix("bot.toml line 4: trading.exchanges must list"))
        #expect(message(base + "products = [\"BO\"]\n") == "bot.toml line 4: trading.products must list products from CNC MIS NRML")
        #expect(message(base + "price_band_percent = 0\n").hasPrefix("bot.toml line 4: trading.price_band_percent must be"))
        #expect(message(base + "price_band_percent = 80\n").hasPrefix("bot.toml line 4: trading.price_band_percent must be"))
        #expect(message(base + "max_orders_per_day = 0\n") == "bot.toml line 4: trading.max_orders_per_day must be from 1 to 10000")
        #expect(message(base + "confirm_seconds = 1\n") == "bot.toml line 4: trading.confirm_seconds must be from 5 to 600 seconds")
        #expect(message(base + "confirm_seconds = \"soon\"\n").contains("line 4: trading.confirm_seconds must be a whole number of seconds"))
        #expect(message(base + "enabled = \"yes\"\n").contains("line 4: trading.enabled must be true or false"))
        #expect(message(base + "enable = true\n").contains("unknown key trading.enable (line 4)"))
    }
}
