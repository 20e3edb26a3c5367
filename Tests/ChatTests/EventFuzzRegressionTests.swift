@_spi(Testing) import Chat
import Foundation
import Testing

/// Replays every input kept under Regressions/event: inputs that once broke
/// the event fuzzer, and the seeds it starts from. Each must either not be
/// an event, or be one that publishing gives back unchanged.
@Suite struct EventFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Regressions/event")

    static var inputs: [URL] {
        let files = try? FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: nil)
        return (files ?? []).sorted { $0.path < $1.path }
    }

    @Test func theKeptInputsAreThere() {
        #expect(Self.inputs.count >= 7)
    }

    @Test(arguments: inputs)
    func aKeptInputDecodesAndRoundTripsOrIsRefused(_ file: URL) throws {
        let bytes = try Data(contentsOf: file)

        let failure = ChatEvent.roundTripFailure(of: bytes)

        #expect(failure == nil, "\(file.lastPathComponent): \(failure ?? "")")
    }
}
