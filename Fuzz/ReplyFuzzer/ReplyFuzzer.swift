// libFuzzer entry point: arbitrary bytes through hiredis' reader, the
// conversion to RESPValue and every typed decoding. Built by `make fuzz`
// together with the Hiredis sources as one module.

@_cdecl("LLVMFuzzerTestOneInput")
public func replyFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    RESPReader.exercise(UnsafeBufferPointer(start: data, count: size))
    return 0
}
