// swift-tools-version:6.0
import PackageDescription

// Debian's hiredis.pc adds -D_FILE_OFFSET_BITS=64, a flag SwiftPM refuses
// with a warning, and on Linux both libraries' headers sit in /usr/include
// anyway. So pkg-config is consulted on macOS only, for Homebrew's paths.
#if os(macOS)
let hiredisPkgConfig: String? = "hiredis"
let cryptoPkgConfig: String? = "libcrypto"
#else
let hiredisPkgConfig: String? = nil
let cryptoPkgConfig: String? = nil
#endif

let package = Package(
    name: "swift-hiredis-chat",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Hiredis", targets: ["Hiredis"]),
        .library(name: "RedisServerLauncher", targets: ["RedisServerLauncher"]),
        .library(name: "Chat", targets: ["Chat"]),
        .executable(name: "chat-demo", targets: ["ChatDemo"]),
        .executable(name: "chat", targets: ["ChatTerminal"]),
        .executable(name: "chat-soak", targets: ["Soak"]),
        .executable(name: "bench", targets: ["Bench"]),
        .executable(name: "hiredis-peer", targets: ["HiredisPeer"]),
    ],
    targets: [
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: hiredisPkgConfig,
            providers: [.apt(["libhiredis-dev"]), .brew(["hiredis"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: cryptoPkgConfig,
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(name: "Hiredis", dependencies: ["CHiredis", "CCrypto"]),
        .target(name: "RedisServerLauncher"),
        .target(name: "Chat", dependencies: ["Hiredis"]),
        .systemLibrary(name: "CGetopt", path: "Examples/CGetopt"),
        .target(
            name: "ExampleSupport",
            dependencies: ["CGetopt", "Hiredis", "RedisServerLauncher"],
            path: "Examples/ExampleSupport"
        ),
        .executableTarget(
            name: "ChatDemo",
            dependencies: ["Chat", "ExampleSupport"],
            path: "Examples/ChatDemo"
        ),
        .executableTarget(
            name: "Soak",
            dependencies: ["Chat", "ExampleSupport", "Hiredis", "RedisServerLauncher"],
            path: "Examples/Soak"
        ),
        .target(
            name: "RedisTestSupport",
            dependencies: ["Hiredis", "RedisServerLauncher"],
            path: "Tests/RedisTestSupport"
        ),
        .testTarget(
            name: "HiredisTests",
            dependencies: ["Hiredis", "RedisTestSupport"],
            exclude: ["Regressions"]
        ),
        .testTarget(
            name: "ChatTests",
            dependencies: ["Chat", "RedisTestSupport"],
            exclude: ["Regressions"]
        ),
        .executableTarget(
            name: "ChatTerminal",
            dependencies: ["Chat", "ExampleSupport"],
            path: "Examples/ChatTerminal"
        ),
        // Depends on the examples: the tests import the client's command
        // parser, and building them builds `chat` and `chat-demo`, which
        // the process tests run.
        .testTarget(
            name: "ExampleTests",
            dependencies: ["ChatTerminal", "ChatDemo", "Chat", "RedisTestSupport"],
            path: "Tests/ExampleTests"
        ),
        .executableTarget(
            name: "Bench",
            dependencies: ["Chat", "Hiredis", "RedisServerLauncher"],
            path: "Examples/Bench"
        ),
        // The raw-hiredis peer that `bench` runs as a subprocess. A C target
        // does not pick up the module map's `link` line, so it links hiredis
        // itself.
        .executableTarget(
            name: "HiredisPeer",
            dependencies: ["CHiredis"],
            path: "Examples/HiredisPeer",
            linkerSettings: [.linkedLibrary("hiredis")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
