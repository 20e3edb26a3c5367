import Foundation
@_spi(Testing) import Hiredis
import Testing

/// Replays every input kept under Regressions/reply: inputs that once
/// crashed the reply fuzzer, or that cover its corners, must not crash.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Regressions/reply")

    static var inputs: [URL] {
        let files = try? FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: nil)
        return (files ?? []).sorted { $0.path < $1.path }
    }

    @Test(arguments: inputs)
    func aKeptInputParsesWithoutCrashing(_ file: URL) throws {
        let bytes = try Data(contentsOf: file)
        _ = RESPReader.exercise(bytes)
    }
}
