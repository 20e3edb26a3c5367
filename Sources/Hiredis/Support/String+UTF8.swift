#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// The text that `bytes` encode as UTF-8, or nil when they are not valid
    /// UTF-8.
    ///
    /// What `String(validating:as:)` answers, at half its cost: that one is
    /// generic over the encoding and is not specialized, so each call looks
    /// up generic metadata at run time, and a reply may hold hundreds of
    /// strings. Decoding repairs invalid input with U+FFFD, so its bytes are
    /// the input's exactly when the input was valid.
    package init?(validUTF8 bytes: [UInt8]) {
        var text = String(decoding: bytes, as: UTF8.self)
        let unchanged = text.withUTF8 { decoded in
            bytes.withUnsafeBufferPointer { original in
                decoded.count == original.count
                    && (original.isEmpty
                        || memcmp(decoded.baseAddress!, original.baseAddress!, original.count) == 0)
            }
        }
        guard unchanged else { return nil }
        self = text
    }
}
