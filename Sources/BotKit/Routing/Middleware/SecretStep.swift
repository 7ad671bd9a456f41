/// Outermost step: a message that carried a secret (its command says so, or the app's policy sees one) leaves
/// the chat whatever happens further in, and every reply to it says whether it left.
public struct SecretStep: UpdateMiddleware {
    let guardian: SecretGuard

    public init(_ guardian: SecretGuard) { self.guardian = guardian }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        guard let message = request.message else { return nil }
        request.exposesSecret = guardian.policy.exposes(message)
        guard guardian.mustRemove(message, command: request.command) else { return nil }
        request.secretRemoval = await guardian.remove(message)
        return nil
    }

    public func after(_ request: UpdateRequest, _ response: inout RouterResponse) async {
        guard let removal = request.secretRemoval else { return }
        response.leading = removal.replies + response.leading
        // Said with the reply; a command that answers in its own messages (a successful /link) says it there.
        response.notes.append(removal.note)
    }
}
