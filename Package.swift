// swift-tools-version: 6.0
import PackageDescription

// The release bot links with lld packing the PIE's relative relocations (DT_RELR, glibc 2.36 or later at run time), so
// the loader reads a few KB of them instead of 2.2 MB, and without exporting the app's 15,000 symbols (nothing looks
// them up: no dlsym, no plugins), so the loader does not page in their tables: 3.4 MB of the binary no longer
// resident at idle (BENCHMARKS.md, Footprint). It also puts the functions run at start and at idle together
// (scripts/rss/startup.order, made by scripts/rss/order.sh): the kernel maps code 64 KB around each first touch, so
// start-up code spread over .text kept 14 MB of it resident. Debug and test builds keep the default linker.
let startupOrder = Context.packageDirectory + "/scripts/rss/startup.order"
let releaseLinking: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
         "-Xlinker", "--symbol-ordering-file=\(startupOrder)", "-Xlinker", "--no-warn-symbol-ordering"],
        .when(configuration: .release)),
]

let package = Package(
    name: "pollbot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pollbot", targets: ["PollBotMain"]),
        .executable(name: "pollbot-bench", targets: ["PollBench"]),
        .executable(name: "pollbot-soak", targets: ["PollSoak"]),
        // The engine: a Telegram bot runtime that knows nothing of trading.
        .library(name: "BotKit", targets: ["BotKit"]),
        // The trader app on the engine.
        .library(name: "PollBot", targets: ["PollBot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Property tests only; no product target depends on it.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        // cairo linked, for the tests' PNG decoder only: pkg-config's -lcairo goes to whatever depends on this target.
        .systemLibrary(
            name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        // cairo's header and a dlopen loader, for the bot: charts load libcairo at the first chart (no -lcairo).
        .target(name: "CCairoLoader", path: "Sources/CCairoLoader"),
        // What the process gives back to the kernel (code pages, free heap) and its malloc arenas: link.h, malloc.h.
        .target(name: "CMemory", path: "Sources/CMemory"),
        .target(
            name: "BotKit",
            dependencies: [
                "CSQLite", "CCurl", "CSodium", "CMemory",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .target(
            name: "PollBot",
            dependencies: [
                "BotKit", "CCairoLoader", "CSodium",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        .executableTarget(
            name: "PollBotMain",
            dependencies: ["BotKit", "PollBot"],
            linkerSettings: releaseLinking),
        // Fakes of the APIs pollbot talks to, shared by the tests and the benchmark.
        .target(
            name: "TestSupport",
            dependencies: [
                "BotKit", "PollBot",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "PollBench",
            dependencies: ["BotKit", "PollBot", "TestSupport"]),
        // The chaos soak: the built pollbot under kills and faults (`make soak`).
        .executableTarget(
            name: "PollSoak",
            dependencies: ["TestSupport"]),
        // The real Bot plus a /trap command that crashes it: for the crash-loop process tests only.
        .executableTarget(
            name: "PollTestBot",
            dependencies: ["BotKit", "PollBot", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "BotKitTests",
            dependencies: [
                "BotKit", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        // The libFuzzer targets' invariants (debug only: they reach internal API); the fuzz binary is below.
        .target(
            name: "FuzzTargets",
            dependencies: ["BotKit", "PollBot", "TestSupport"]),
        // The committed fuzz corpus and every crash found, replayed through the same invariants.
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["FuzzTargets", "TestSupport"]),
        .testTarget(
            name: "PollBotTests",
            dependencies: [
                "PollBot", "BotKit", "TestSupport", "CCairo", .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // A database and key from before the engine/app split, read by path by the upgrade test.
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// `make fuzz` only: an executable whose main hands over to libFuzzer, which exists only under -sanitize=fuzzer.
if Context.environment["POLLBOT_FUZZ"] == "1" {
    package.products.append(.executable(name: "pollbot-fuzz", targets: ["PollFuzz"]))
    package.targets.append(.executableTarget(name: "PollFuzz", dependencies: ["FuzzTargets"]))
}
