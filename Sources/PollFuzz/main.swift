import Foundation
import FuzzTargets

// `pollbot-fuzz TARGET [libFuzzer options] [corpus dirs]`: the first argument picks the target, the rest is
// libFuzzer's. This main replaces libFuzzer's own (which SwiftPM's entry point would clash with) and hands over
// through LLVMFuzzerRunDriver. Built only with POLLBOT_FUZZ=1 and -sanitize=fuzzer (see `make fuzz`).

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

let arguments = CommandLine.arguments
guard arguments.count >= 2, let chosen = FuzzTarget(rawValue: arguments[1]) else {
    print("usage: pollbot-fuzz TARGET [libFuzzer options]; targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
    exit(2)
}
// A C global, because the callback cannot capture: set once, before libFuzzer starts its only thread.
nonisolated(unsafe) var target = chosen

// libFuzzer sees argv without the target's name, as if the binary had been built for that target alone.
var argc = CInt(arguments.count - 1)
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = UnsafeMutablePointer.allocate(capacity: arguments.count)
argv![0] = strdup(arguments[0])
for (index, argument) in arguments.dropFirst(2).enumerated() { argv![index + 1] = strdup(argument) }
argv![arguments.count - 1] = nil

exit(runDriver(&argc, &argv) { data, size in
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let violation = target.check(bytes) { fatalError(violation) }
    return 0
})
