@testable import BotKit
import Foundation
import Testing

/// The two checks that let the sender skip a JSON parse per message: "does this payload upload files?" and "is this
/// reply a plain success?". Each may only say no (or yes) when the full parse would; hostile bodies go to the decoder.
@Suite struct DeliveryFastPathTests {
    @Test func aPhotoStillUploadsAndTextMentioningTheKeyNeverDoes() throws {
        let photo = OutgoingMessage.photo(Data([0x89, 0x50, 0x4E, 0x47]), caption: "<b>chart</b>", to: 7)
        let parts = try #require(PayloadRewrite.multipart(photo.payload))
        #expect(parts.count == 4)  // caption, chat_id, parse_mode, the file
        let album = OutgoingMessage.album([Data([1]), Data([2])], caption: "two", to: 7)
        #expect(PayloadRewrite.multipart(album.payload)?.count == 4)  // chat_id, media, two files

        for text in ["_files", "\"_files\"", "{\"_files\":{\"photo\":\"AA==\"}}", "\\\"_files\\\":"] {
            let message = OutgoingMessage.text(text, to: 7, keyboard: InlineKeyboard([[.init(text, data: "_files")]]))
            #expect(PayloadRewrite.multipart(message.payload) == nil, "\(text)")
        }
        // The key as a string value or nested deeper passes the quick check, and the parse still says no.
        let nested = Data(#"{"chat_id":7,"text":"_files","reply_markup":{"_files":{"a":"AA=="}}}"#.utf8)
        #expect(PayloadRewrite.mayHoldFiles(nested))
        #expect(PayloadRewrite.multipart(nested) == nil)
        #expect(!PayloadRewrite.mayHoldFiles(Data()))
        #expect(PayloadRewrite.multipart(Data("not json".utf8)) == nil)
    }

    @Test func onlyAWellFormedSuccessSkipsTheDecoder() {
        let yes = [#"{"ok":true,"result":{"message_id":5,"chat":{"id":1}}}"#, #"{"ok":true,"result":true}"#,
                   #"{"ok":true,"result":[]}"# + "\n", #"{"ok":true,"result":-1}"#, #"{"ok":true,"result":"x"}"#]
        let no = [#"{"ok":true,"result":null}"#, #"{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":3}}"#,
                  #"{"ok":true,"result":{"message_id":5"#, #"{"ok":true,"result":"#, #"{"ok": true,"result":true}"#,
                  #"{"result":true,"ok":true}"#, "", "<html>502 Bad Gateway</html>", #"{"ok":true,"result":}"#]
        for body in yes { #expect(TelegramClient.isPlainSuccess(Data(body.utf8)), "\(body)") }
        for body in no { #expect(!TelegramClient.isPlainSuccess(Data(body.utf8)), "\(body)") }
    }

    /// Canned bodies through the client itself: a success is a result, every other body the error it was before.
    private struct Canned: HTTPTransport {
        var status: Int
        var body: String
        func perform(_ request: HTTPRequest) async throws -> HTTPResponse { HTTPResponse(status: status, body: Data(body.utf8)) }
    }

    @Test func theClientAnswersIgnoredCallsAsTheDecoderWould() async throws {
        func call(_ status: Int, _ body: String) async throws {
            let client = TelegramClient(apiURL: "http://127.0.0.1:1", token: "1:t", engine: Canned(status: status, body: body))
            _ = try await client.callJSON("sendMessage", body: Data("{}".utf8), as: Ignored.self)
        }
        try await call(200, #"{"ok":true,"result":{"message_id":1}}"#)
        await #expect(throws: TelegramError.self) { try await call(200, #"{"ok":true,"result":null}"#) }
        await #expect(throws: TelegramError.self) { try await call(200, #"{"ok":true,"result":{"message_id":1"#) }
        await #expect(throws: TelegramError.self) { try await call(200, #"{"ok":false,"error_code":400,"description":"x"}"#) }
        await #expect(throws: TelegramError.self) { try await call(502, "<html>Bad Gateway</html>") }
        do {
            try await call(429, #"{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":7}}"#)
            Issue.record("a 429 was taken for a success")
        } catch let error as TelegramError {
            #expect(error.retryAfter == 7)
        }
    }
}
