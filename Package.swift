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
        .target(
            name: "RedisTestSupport",
            dependencies: ["Hiredis", "RedisServerLauncher"],
            path: "Tests/RedisTestSupport"
        ),
        .testTarget(name: "HiredisTests", dependencies: ["Hiredis", "RedisTestSupport"]),
        .executableTarget(
            name: "Bench",
            dependencies: ["Hiredis", "RedisServerLauncher"],
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
