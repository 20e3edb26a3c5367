/// The bytes of a bulk string reply, readable through ``RESPDecodable``.
///
/// The byte-returning command overloads decode into this type and unwrap it,
/// so that they share the code of the generic overloads. `[UInt8]` cannot
/// play this part itself: as an `Array` it already reads array replies.
struct BulkBytes: RESPDecodable, Hashable {
    var bytes: [UInt8]

    init(fromRESP value: RESPValue) throws(RedisError) {
        guard let bytes = try value.unwrap().bytes else {
            throw .decoding(value, as: [UInt8].self)
        }
        self.bytes = bytes
    }
}

extension RedisCommand {
    /// A command whose first argument is `key`, followed by `arguments`.
    init(_ name: String, key: some RedisArgument, _ arguments: [any RedisArgument]) {
        self.init(name, key)
        for argument in arguments { append(argument) }
    }
}
