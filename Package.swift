// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "pollbot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pollbot", targets: ["PollBot"]),
        .executable(name: "pollbot-bench", targets: ["PollBench"]),
        .library(name: "BotKit", targets: ["BotKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
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
        .systemLibrary(
            name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .target(
            name: "BotKit",
            dependencies: [
                "CSQLite", "CCurl", "CSodium", "CCairo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        .executableTarget(
            name: "PollBot",
            dependencies: [
                "BotKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Fakes of the APIs pollbot talks to, shared by the tests and the benchmark.
        .target(
            name: "TestSupport",
            dependencies: [
                "BotKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "PollBench",
            dependencies: ["BotKit", "TestSupport"]),
        // The real Bot plus a /trap command that crashes it: for the crash-loop process tests only.
        .executableTarget(
            name: "PollTestBot",
            dependencies: ["BotKit", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "BotKitTests",
            dependencies: ["BotKit", "TestSupport", "CCairo", .product(name: "Logging", package: "swift-log")]),
    ],
    swiftLanguageModes: [.v6]
)
