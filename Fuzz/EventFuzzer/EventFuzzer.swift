// libFuzzer entry point: arbitrary bytes through the chat event decoder, and
// every event that decodes published again and decoded back, which must
// give the same event. Built by `make fuzz-event` with the Chat sources as
// one module, on a Hiredis module built for the fuzzer.

import Foundation

private let decoder = ChatEventDecoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func eventFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = UnsafeBufferPointer(start: data, count: size)

    // The decoder that subscribers use, which counts and logs failures.
    _ = decoder.event(from: Data(payload), channel: "chat:room:{fuzz}")

    if let failure = ChatEvent.roundTripFailure(of: payload) {
        fatalError(failure)
    }
    return 0
}
