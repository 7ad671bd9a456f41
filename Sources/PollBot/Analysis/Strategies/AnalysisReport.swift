import BotKit
import Foundation

extension AnalysisResult {
    /// The analysis message in Telegram HTML: a bold title, the stock table, the strategy's tables, then notes and risks.
    public func html(format: DisplayFormat) -> String {
        let report = AnalysisReport(result: self, format: format)
        return report.text
    }
}

/// Builds the message of one `AnalysisResult`: every name escaped, every number through `DisplayFormat`.
struct AnalysisReport {
    let result: AnalysisResult
    let format: DisplayFormat

    var symbol: String { result.instrument.symbol }

    var text: String {
        var text = "<b>\(HTML.escape("\(symbol) · \(result.strategy.title)"))</b>\n" + stockTable.html
        switch result.outcome {
        case .none: text += paragraph(["No options trade on \(symbol) (not in the F&O segment)."])
        case .unavailable(let reason): text += paragraph(["No option chain: \(reason)"])
        case .unpriceable(let reason): text += paragraph([reason])
        case .analysed: text += strategyText
        }
        return text
    }

    /// Lines of plain text, escaped.
    func paragraph(_ lines: [String]) -> String { lines.isEmpty ? "" : HTML.escape(lines.joined(separator: "\n")) + "\n" }

    /// "24.1%": a fraction as an unsigned percentage, "n/a" when missing.
    func percent(_ fraction: Double?, decimals: Int = 1) -> String {
        guard let fraction, UnusableValue.isUsable(fraction * 100) else { return DisplayFormat.unavailable }
        return format.number(fraction * 100, decimals: decimals) + "%"
    }

    func number(_ value: Double?, decimals: Int = 2) -> String { value.map { format.number($0, decimals: decimals) } ?? DisplayFormat.unavailable }

    var stockTable: TextTable {
        let stock = result.stock, stats = stock.statistics
        var table = TextTable()
        table.row("LTP", stock.lastPrice.map(format.money) ?? DisplayFormat.unavailable)
        if let change = stock.change, let changePercent = stock.changePercent {
            table.row("Change", "\(format.signed(change)) (\(format.percent(changePercent)))")
        }
        let range = stats.yearRange
        let name = range?.coversYear == false ? "Range" : "52w"
        table.row("\(name) high/low", "\(number(range?.high)) / \(number(range?.low))")
        table.row("Place in range", range.map { format.number($0.position, decimals: 0) + "%" } ?? DisplayFormat.unavailable)
        table.row("MA20 / MA50", "\(number(stock.ma20)) / \(number(stock.ma50))")
        table.row("MA200", number(stock.ma200))
        table.row("Trend", stats.trend?.direction.rawValue ?? DisplayFormat.unavailable)
        table.row("RSI(14)", number(stats.rsi14, decimals: 1))
        table.row("ATR(14)", number(stats.atr14))
        table.row("HV20 / HV60", "\(percent(stats.hv20)) / \(percent(stats.hv60))")
        table.row("Support", stock.support.isEmpty ? "none found" : stock.support.map { format.number($0) }.joined(separator: ", "))
        table.row("Resistance", stock.resistance.isEmpty ? "none found" : stock.resistance.map { format.number($0) }.joined(separator: ", "))
        return table
    }

    var strategyText: String {
        let days = result.pricing.map { format.number($0.days, decimals: 0) } ?? DisplayFormat.unavailable
        var text = "<b>\(HTML.escape(result.strategy.title))</b> · expiry \(HTML.escape(result.expiry?.description ?? "n/a")) (\(days) days)\n"
        switch result.strategy {
        case .csp:
            for (index, put) in result.puts.enumerated() { text += putTable(put, heading: index == 0 ? "Sell put" : "Safer put").html }
        case .cc:
            text += coveredCallText
        case .wheel:
            if let wheel = result.wheel { text += wheelText(wheel) }
        }
        return text + notesText
    }

    /// The rows every leg shows: premium, IV, delta, distance, P(OTM), breakeven, open interest.
    func legRows(_ leg: OptionCandidate, heading: String, into table: inout TextTable) {
        table.line("\(heading) \(AnalysisResult.label(leg.strike)) \(leg.type.rawValue)")
        table.row("Premium", format.money(leg.premium) + (leg.isMarketPrice ? "" : " est."))
        let source = leg.volatilitySource == .historical ? " (HV)" : ""
        table.row("IV / delta", "\(percent(leg.volatility))\(source) / \(format.signed(leg.delta))")
        table.row("Distance", "\(format.percent(leg.distancePercent)) / \(leg.distanceInMoves.map(format.signed) ?? DisplayFormat.unavailable) EM")
        table.row("P(expires OTM)", percent(leg.probabilityOutOfTheMoney, decimals: 0))
        table.row("Breakeven", format.number(leg.breakeven))
        table.row("Open interest", "\(format.quantity(leg.openInterestLots.rounded())) lots\(leg.isThin ? " (thin)" : "")")
    }

    func putTable(_ put: OptionCandidate, heading: String) -> TextTable {
        var table = TextTable()
        legRows(put, heading: heading, into: &table)
        table.row("Capital (1 lot)", format.money(put.notional))
        table.row("Return", "\(percent(put.periodReturn, decimals: 2)) (\(percent(put.annualised(put.periodReturn))) a yr)")
        return table
    }

    var coveredCallText: String {
        guard let plan = result.coveredCall else { return "" }
        var text = ""
        if !plan.isCovered {
            text += paragraph(["You hold \(format.quantity(Double(plan.sharesHeld))) shares; a covered call needs "
                               + "\(format.quantity(Double(plan.sharesNeeded))) (1 lot)."])
        }
        guard let call = plan.call else {
            return text + paragraph(["No call is listed above your cost of \(format.number(plan.costBasis))."])
        }
        var table = TextTable()
        legRows(call, heading: "Sell call", into: &table)
        table.row("Cost basis", format.number(plan.costBasis))
        table.row("Yield", percent(plan.yield(spot: result.pricing?.spot ?? plan.costBasis), decimals: 2))
        table.row("If called away", percent(plan.returnIfCalled, decimals: 2))
        table.row("Position breakeven", number(plan.breakeven))
        return text + table.html
    }

    func wheelText(_ wheel: WheelPlan) -> String {
        var text = putTable(wheel.put, heading: "1. Sell put").html
        if let call = wheel.call {
            var table = TextTable()
            table.line("2. If assigned at \(format.number(wheel.put.strike)):")
            legRows(call, heading: "Sell call", into: &table)
            table.row("Cycle yield", "\(percent(wheel.cycleAnnualisedYield)) a yr")
            text += table.html
        } else {
            text += paragraph(["No call is listed above \(format.number(wheel.put.strike)) for the second leg."])
        }
        return text + paragraph([
            "Rules: sell the put; if it expires, keep the premium and sell again.",
            "If assigned, you own the shares at the strike: sell a call above it.",
            "If the shares are called away, start again with the put.",
        ])
    }

    /// What the trader must know before acting: the largest loss, what the bot cannot see, and how good the prices are.
    var notesText: String {
        var lines: [String] = []
        let legs = result.puts + [result.coveredCall?.call, result.wheel?.call].compactMap { $0 }
        if let put = result.puts.first {
            lines.append("• Max loss \(format.money((put.strike - put.premium) * Double(put.lotSize))) a lot if \(symbol) goes to zero (strike less premium).")
        }
        if let plan = result.coveredCall, let call = plan.call {
            lines.append("• Max loss \(format.money((plan.costBasis - call.premium) * Double(call.lotSize))) a lot if \(symbol) goes to zero (the shares' fall less the premium).")
        }
        lines.append("• Results, dividends and news are not known to the bot.")
        for leg in legs where leg.isThin {
            lines.append("• Thin liquidity at \(AnalysisResult.label(leg.strike)): under \(format.quantity(OptionCandidate.thinOpenInterestLots)) lots open; fills may be poor.")
        }
        if !result.brokerSentPrices {
            lines.append("• The broker sent no option prices (its quotes failed).")
        }
        if legs.contains(where: { !$0.isMarketPrice }) {
            lines.append("• \"est.\" premiums are Black-Scholes estimates, not market prices: nothing to execute at.")
        }
        if result.skippedStrikes > 0 {
            lines.append("• \(result.skippedStrikes) strikes left out: the broker sent unusable values.")
        }
        return "<b>Risks</b>\n" + paragraph(lines)
    }
}
