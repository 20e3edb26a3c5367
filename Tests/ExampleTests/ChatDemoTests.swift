import Foundation
import Testing

@Suite struct ChatDemoTests {
    /// The `chat-demo` executable built beside the test bundle.
    static let executable: URL = {
        let beside = Bundle.main.executableURL?.deletingLastPathComponent()
            .appendingPathComponent("chat-demo")
        if let beside, FileManager.default.isExecutableFile(atPath: beside.path) {
            return beside
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/chat-demo")
    }()

    @Test func theDemoShowsTheWholeServiceOnItsOwnServerAndExitsZero() async throws {
        let process = Process()
        let output = Pipe()
        process.executableURL = Self.executable
        process.arguments = []
        var environment = ProcessInfo.processInfo.environment
        environment["REDIS_URL"] = nil
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        // Read everything first: the demo may print more than a pipe holds.
        let bytes = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        let text = String(decoding: bytes, as: UTF8.self)

        #expect(process.terminationStatus == 0, "\(text)")
        let events = text.components(separatedBy: "History of #General:").first ?? ""
        #expect(events.contains("Alice: Hello, everyone!"))
        #expect(events.contains("Bob: Hi Alice! Good to see you here."))
        #expect(events.contains("Alice is now away"))
        #expect(events.contains("Bob → Alice: Lunch at noon?"))
        #expect(text.contains("History of #General:\n  [1] "))
        #expect(text.contains("Direct messages between Alice and Bob:\n  [1] "))
        let history = text.components(separatedBy: "History of #General:").last ?? ""
        #expect(history.contains("Alice: Hello, everyone!"))
        #expect(history.contains("Bob: Lunch at noon?"))
    }
}
