import Foundation

/// One step before a handler: `before` may answer the update itself (nothing further in runs) or pass it on;
/// `after` adjusts the answer on the way out.
///
/// The router runs every `before` in the chain's order (outermost first; `MiddlewareChain.standard`), then the handler, then
/// the `after` of each step that passed the update on, innermost first: the semantics of nested `next` calls
/// without their nesting (nested async frames held 1.8 MB more at the burst benchmark's peak). Each step is one
/// small type in its own file, tested on its own (see ARCHITECTURE.md for the standard chain). Steps see a
/// command's traits, not its type, so the chain is compiled once in the engine, whatever the app.
public protocol UpdateMiddleware: Sendable {
    /// Answers the update here, or returns nil to pass it (possibly changed) on.
    func before(_ request: inout UpdateRequest) async -> RouterResponse?
    /// Adjusts the answer of the handler or of a step further in.
    func after(_ request: UpdateRequest, _ response: inout RouterResponse) async
}

extension UpdateMiddleware {
    public func before(_ request: inout UpdateRequest) async -> RouterResponse? { nil }
    public func after(_ request: UpdateRequest, _ response: inout RouterResponse) async {}

    /// This step alone around `next`, as the router runs it in a chain.
    public func handle(_ request: UpdateRequest, next: UpdateHandler) async -> RouterResponse {
        var request = request
        if let answer = await before(&request) { return answer }
        var response = await next(request)
        await after(request, &response)
        return response
    }
}

extension [any UpdateMiddleware] {
    /// Runs the steps around `handler`: every `before` outermost first, then the `after` of each step that passed.
    public func run(_ request: UpdateRequest, handler: UpdateHandler) async -> RouterResponse {
        var request = request
        var passed = 0
        var answer: RouterResponse?
        for step in self {
            answer = await step.before(&request)
            if answer != nil { break }
            passed += 1
        }
        var response: RouterResponse
        if let answer { response = answer } else { response = await handler(request) }
        for step in self[..<passed].reversed() { await step.after(request, &response) }
        return response
    }
}

/// The rest of the chain, as a middleware step sees it.
public typealias UpdateHandler = @Sendable (UpdateRequest) async -> RouterResponse
