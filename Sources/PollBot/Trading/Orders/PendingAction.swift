import BotKit
import Foundation

/// What a stored confirmation does once confirmed: place an order (the intent flow), or one of the other order actions,
/// each carrying exactly what its preview showed so the confirm can check the book still matches.
public enum PendingAction: Sendable, Equatable, Codable {
    /// Place `draft` through an order intent.
    case place(OrderDraft)
    /// Cancel the open order `orderID`; `line` is how the book showed it at the preview.
    case cancel(orderID: String, line: String)
    /// Change the open order `orderID` to `request`; `line` is how the book showed it at the preview.
    case modify(orderID: String, request: OrderRequest, line: String)
    /// Cancel every open order; `orderIDs` are the ones the preview listed, sorted.
    case cancelAll(orderIDs: [String])
    /// Square off every open position; `positions` are the preview's position keys, sorted.
    case closeAll(positions: [String])
    /// Switch OpenAlgo's analyzer mode to `mode`.
    case setMode(AnalyzerMode)

    /// The order to place, nil for the other actions.
    public var draft: OrderDraft? {
        if case .place(let draft) = self { return draft }
        return nil
    }

    /// True for a mode switch, which admins may make even while trading is off.
    public var isModeSwitch: Bool {
        if case .setMode = self { return true }
        return false
    }

    /// The action's fields in one line, as the audit keeps them.
    public var auditFields: String {
        switch self {
        case .place(let draft): OrderAuditEntry.fields(draft)
        case let .cancel(orderID, line): "cancel \(orderID): \(line)"
        case let .modify(orderID, request, line):
            "modify \(orderID): \(line) -> \(request.priceType.rawValue) \(request.price) qty \(request.quantity)"
        case .cancelAll(let ids): "cancelall \(ids.count): \(ids.joined(separator: ","))"
        case .closeAll(let keys): "closeall \(keys.count): \(keys.joined(separator: ","))"
        case .setMode(let mode): "mode \(mode.rawValue)"
        }
    }

    /// What an expired or refused press tells the user to send again.
    var retry: String {
        switch self {
        case .place: "send the order again"
        case .cancel: "send /cancelorder again"
        case .modify: "send /modify again"
        case .cancelAll: "send /cancelall again"
        case .closeAll: "send /closeall again"
        case .setMode: "send /mode live again"
        }
    }

    /// The key that identifies an open position at the preview: a change of side, quantity or product changes it.
    static func key(of position: Position) -> String {
        "\(position.symbol) \(position.exchange) \(position.product) \(position.quantity)"
    }
}

extension AnalyzerMode: Codable {}

/// The stored form of a confirmation's action: placements keep their draft in `draft` as before (so older rows still
/// read), the other actions their JSON in `action`.
enum PendingActionText {
    /// The schema step that lets a confirmation carry an action other than a placement.
    static let step = "ALTER TABLE order_confirmations ADD COLUMN action TEXT;"

    static func encoded(_ action: PendingAction) -> String? {
        guard action.draft == nil, let data = try? JSONEncoder().encode(action) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decoded(draft: String, action: String?) -> PendingAction? {
        if let action { return try? JSONDecoder().decode(PendingAction.self, from: Data(action.utf8)) }
        return OrderDraftText.decoded(draft).map(PendingAction.place)
    }
}
