extension Array where Element: Sendable {
    /// `body` of every element, at most `width` running at once, in the array's order: thousands of users read
    /// without opening thousands of broker requests together.
    func concurrentMap<Value: Sendable>(width: Int, _ body: @escaping @Sendable (Element) async -> Value) async -> [Value] {
        await withTaskGroup(of: (Int, Value).self) { group in
            var results = [Value?](repeating: nil, count: count)
            var next = 0
            for _ in 0..<Swift.min(Swift.max(width, 1), count) {
                let index = next, element = self[index]
                group.addTask { (index, await body(element)) }
                next += 1
            }
            for await (index, value) in group {
                results[index] = value
                if next < count {
                    let index = next, element = self[index]
                    group.addTask { (index, await body(element)) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
