import Foundation

/// The fake OpenAlgo's account, in the shapes brokers really send: numbers as
/// strings or numbers, order ids as either, closed positions with quantity
/// "0" or 0, 90 orders, 42 trades, and a status no list knows.
public enum FakeOpenAlgoData {
    /// Strings and numbers mixed, as brokers send them.
    nonisolated(unsafe) public static let funds: [String: Any] = [
        "availablecash": "320.66", "collateral": 0, "m2mrealized": "-12.50", "m2munrealized": 45.25, "utiliseddebits": "679.34",
    ]

    nonisolated(unsafe) public static let positions: [[String: Any]] = [
        ["symbol": "RELIANCE", "exchange": "NSE", "product": "MIS", "quantity": "50", "average_price": "1402.35", "ltp": 1420.10, "pnl": "887.50"],
        ["symbol": "SBIN", "exchange": "NSE", "product": "MIS", "quantity": -100, "average_price": 802.10, "ltp": "799.00", "pnl": 310.0],
        ["symbol": "TCS", "exchange": "NSE", "product": "MIS", "quantity": "0", "average_price": "3450.00", "ltp": "3461.20", "pnl": "224.00"],
        ["symbol": "INFY", "exchange": "NSE", "product": "NRML", "quantity": 0, "average_price": 0, "ltp": 1600, "pnl": -150.5],
        ["symbol": "NIFTY25NOV24500CE", "exchange": "NFO", "product": "NRML", "quantity": "75", "average_price": "112.40", "ltp": "98.15", "pnl": "-1068.75"],
        ["symbol": "M&M", "exchange": "NSE", "product": "CNC", "quantity": "5", "average_price": "3010", "ltp": "3050.5", "pnl": "202.5"],
    ]

    static let symbols = ["RELIANCE", "SBIN", "TCS", "INFY", "HDFCBANK", "M&M", "BAJAJ-AUTO", "ICICIBANK"]

    /// 90 orders (more than one message holds): open, trigger pending, rejected, cancelled, complete, and "AMO REQ RECEIVED" (a status no list has).
    nonisolated(unsafe) public static let orders: [[String: Any]] = (0..<90).map { index in
        let status: String = switch index % 9 {
        case 0: "open"
        case 1: "rejected"
        case 2: "cancelled"
        case 3: "trigger pending"
        case 4 where index > 70: "AMO REQ RECEIVED"
        default: "complete"
        }
        let orderID: Any = index % 2 == 0 ? "2504080009\(81_000 + index)" : Int64(250_408_000_981_000 + index)
        return [
            "action": index % 3 == 0 ? "SELL" : "BUY", "symbol": symbols[index % symbols.count], "exchange": "NSE",
            "orderid": orderID, "product": index % 4 == 0 ? "CNC" : "MIS",
            "quantity": index % 2 == 0 ? "\(index + 1)" : index + 1 as Any,
            "price": index % 5 == 0 ? "0" : String(format: "%.2f", 100 + Double(index) * 12.5),
            "pricetype": index % 5 == 0 ? "MARKET" : "LIMIT", "order_status": status,
            "trigger_price": status == "trigger pending" ? "95.5" : 0 as Any,
            "timestamp": String(format: "08-Apr-2025 %02d:%02d:03", 9 + index / 8, (index * 7) % 60),
        ]
    }

    /// 42 trades; a third are sells; some carry trade_value as a string, some not at all.
    nonisolated(unsafe) public static let trades: [[String: Any]] = (0..<42).map { index in
        var trade: [String: Any] = [
            "action": index % 3 == 0 ? "SELL" : "BUY", "symbol": symbols[index % symbols.count], "exchange": "NSE",
            "orderid": "2504080009\(10_000 + index)", "product": "MIS",
            "quantity": index % 2 == 0 ? "\(index + 1)" : index + 1 as Any,
            "average_price": index % 2 == 0 ? String(format: "%.2f", 100 + Double(index) * 7.5) : 100 + Double(index) * 7.5 as Any,
            "timestamp": String(format: "%02d:%02d:11", 9 + index / 7, (index * 11) % 60),
        ]
        if index % 4 != 3 { trade["trade_value"] = String(format: "%.2f", Double(index + 1) * (100 + Double(index) * 7.5)) }
        return trade
    }

    nonisolated(unsafe) public static let holdings: [String: Any] = [
        "holdings": [
            ["symbol": "INFY", "exchange": "NSE", "product": "CNC", "quantity": "40", "pnl": "1200.00", "pnlpercent": "2.15"],
            ["symbol": "ITC", "exchange": "NSE", "product": "CNC", "quantity": 300, "pnl": -540.0, "pnlpercent": -3.9],
            ["symbol": "M&M", "exchange": "BSE", "product": "CNC", "quantity": "10", "pnl": 305.5, "pnlpercent": "1.02"],
        ],
        "statistics": ["totalholdingvalue": "218413.00", "totalinvvalue": 217447.5, "totalprofitandloss": "965.50",
                       "totalpnlpercentage": 0.44],
    ]

    /// Quotes by symbol; any other symbol is unknown.
    nonisolated(unsafe) public static let quotes: [String: [String: Any]] = [
        "RELIANCE": ["ltp": "1420.10", "open": 1405, "high": "1425", "low": 1398.2, "prev_close": "1402.35", "volume": "1234567",
                     "bid": "1420.05", "ask": 1420.15],
        "TCS": ["ltp": 3461.2, "open": "3440", "high": 3470, "low": "3432.5", "prev_close": 3450, "volume": 456_789],
        "M&M": ["ltp": "3050.5", "open": "3010", "high": "3061", "low": "3001", "prev_close": "3012.25", "volume": "98765"],
    ]

    /// What the fake's intervals endpoint offers (a Zerodha-like list).
    public static let intervals: [String: [String]] = [
        "seconds": [], "minutes": ["1m", "3m", "5m", "10m", "15m", "30m"], "hours": ["1h"], "days": ["D"], "weeks": [], "months": [],
    ]
}
