import Foundation

/// A minimal multipart/form-data reader for the fakes (uploads of photos).
enum Multipart {
    struct Part {
        var name: String
        var filename: String?
        var data: Data
    }

    static func parse(_ body: Data, boundary: String) -> [Part] {
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        var cursor = body.startIndex
        while let start = body.range(of: delimiter, in: cursor..<body.endIndex) {
            let afterDelimiter = start.upperBound
            guard let next = body.range(of: delimiter, in: afterDelimiter..<body.endIndex) else { break }
            let chunk = body[afterDelimiter..<next.lowerBound]
            cursor = next.lowerBound
            guard let split = chunk.range(of: headerEnd) else { continue }
            let headers = String(decoding: chunk[chunk.startIndex..<split.lowerBound], as: UTF8.self)
            var data = Data(chunk[split.upperBound..<chunk.endIndex])
            if data.suffix(2) == Data("\r\n".utf8) { data.removeLast(2) }
            guard let name = value(of: "name", in: headers) else { continue }
            parts.append(Part(name: name, filename: value(of: "filename", in: headers), data: data))
        }
        return parts
    }

    private static func value(of key: String, in headers: String) -> String? {
        guard let range = headers.range(of: " \(key)=\"") ?? headers.range(of: ";\(key)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
