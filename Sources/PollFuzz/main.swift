import Foundation
import FuzzTargets

// `FUZZ_TARGET=name pollbot-fuzz [libFuzzer options] [corpus dirs]`: the environment picks the target, so that
// argv stays libFuzzer's. Built only with POLLBOT_FUZZ=1 and -sanitize=fuzzer (see `make fuzz`).

/// The target named by FUZZ_TARGET, read once (libFuzzer runs inputs on one thread).
let target: FuzzTarget = {
    guard let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
        exit(2)
    }
    return target
}()

/// libFuzzer's entry: one input, trapping when the target's invariant breaks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let violation = target.check(bytes) { fatalError(violation) }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// When this main is the one linked (rather than libFuzzer's), it hands over to libFuzzer's driver.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
_ = target
exit(runDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
