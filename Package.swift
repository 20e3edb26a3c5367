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
    ],
    swiftLanguageModes: [.v6]
)
