/// What pollbot treats as a secret in a message: an OpenAlgo API key is 64 hex digits.
enum APIKeyShape {
    /// True when `text` holds a run of 64 hex digits anywhere.
    static func appears(in text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            let isHex = (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
            run = isHex ? run + 1 : 0
            if run >= 64 { return true }
        }
        return false
    }
}
