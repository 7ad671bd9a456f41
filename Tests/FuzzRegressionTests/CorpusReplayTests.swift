import Foundation
import FuzzTargets
import Testing

/// Every input in the committed fuzz corpus (the seeds and each crash the fuzzers found) replayed through its
/// target's invariant: a fix that regresses fails here without libFuzzer.
@Suite struct CorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    static func inputs(of target: FuzzTarget) throws -> [(String, [UInt8])] {
        let folder = corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusInputKeepsItsInvariant(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs(of: target)
        #expect(!inputs.isEmpty, "no seed corpus for \(target.rawValue)")
        for (name, bytes) in inputs {
            #expect(target.check(bytes) == nil, "\(target.rawValue)/\(name)")
        }
    }
}
