import Foundation
import Hiredis
import RedisTestSupport
import Testing

/// Values that break clients which are not byte-safe: every byte value, no
/// bytes at all, a leading zero byte, and bytes that are not UTF-8.
private let awkwardValues: [[UInt8]] = [
    Array(UInt8.min...UInt8.max),
    [],
    [0x00, 0x41, 0x42, 0x00],
    [0xC3, 0x28, 0xFF, 0xFE, 0x80],
]

/// Arguments that break clients which build commands with format strings or
/// by joining text.
private let awkwardArguments: [String] = [
    "hello world",
    "\"double\" and 'single' quotes",
    "line\r\nbreak",
    "%s%n",
    "%b %d %%",
    "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n",
    " ",
    "",
]

@Suite(.redisServer)
struct BinarySafetyTests {
    @Test func awkwardValuesRoundTripThroughSetAndGetUnderAnInvalidUTF8Key() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueBinaryKey()
            for value in awkwardValues {
                try await connection.set(key, to: value)

                #expect(try await connection.get(key) == value)
                #expect(try await connection.get(key, as: Data.self) == Data(value))
            }
        }
    }

    @Test func awkwardValuesRoundTripThroughRpushAndLrange() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueBinaryKey()

            let length = try await connection.rpush(key, awkwardValues)

            #expect(length == awkwardValues.count)
            #expect(try await connection.lrange(key) == awkwardValues)
        }
    }

    @Test func aByteArrayPushedAloneIsOneElement() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueBinaryKey()

            try await connection.rpush(key, Array(UInt8.min...UInt8.max))

            #expect(try await connection.llen(key) == 1)
            #expect(try await connection.lindex(key, 0) == Array(UInt8.min...UInt8.max))
        }
    }

    @Test func awkwardValuesRoundTripThroughHsetAndHgetAsFieldsAndValues() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueBinaryKey()
            // Field names that are not UTF-8 either, one per value.
            let fields = awkwardValues.enumerated().map { index, value in
                (
                    field: [UInt8(index), 0xFF] + value as any RedisArgument,
                    value: value as any RedisArgument
                )
            }

            let added = try await connection.hset(key, fields: fields)

            #expect(added == awkwardValues.count)
            for (index, value) in awkwardValues.enumerated() {
                let field = [UInt8(index), 0xFF] + value
                #expect(try await connection.hget(key, field: field) == value)
            }
            let all = try await connection.hgetall(key)
            #expect(all.count == awkwardValues.count)
            for (index, value) in awkwardValues.enumerated() {
                #expect(all[[UInt8(index), 0xFF] + value] == value)
            }
        }
    }

    @Test func emptyValuesAndMissingKeysStayDistinct() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            let missing = uniqueKey("missing")
            try await connection.set(key, to: "")
            try await connection.hset(key + ":hash", fields: ["empty": ""])

            #expect(try await connection.get(key) == [])
            #expect(try await connection.get(key, as: String.self) == "")
            #expect(try await connection.get(missing) == nil)
            #expect(try await connection.get(missing, as: String.self) == nil)
            #expect(try await connection.hget(key + ":hash", field: "empty") == [])
            #expect(try await connection.hget(key + ":hash", field: "absent") == nil)
            #expect(try await connection.mget([key, missing]) == [[], nil])
        }
    }

    @Test func aNonUTF8ValueReadAsStringThrowsDecodingFailed() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()
            try await connection.set(key, to: [0xFF, 0xFE, 0x41] as [UInt8])

            let error = await #expect(throws: RedisError.self) {
                try await connection.get(key, as: String.self)
            }

            #expect(error?.code == .decodingFailed)
            #expect(try await connection.get(key) == [0xFF, 0xFE, 0x41])
        }
    }

    @Test func awkwardArgumentsEachArriveAsExactlyOneArgument() async throws {
        try await withTestConnection { connection throws in
            let key = uniqueKey()

            // ECHO takes exactly one argument: a split one would be an error.
            for argument in awkwardArguments {
                #expect(try await connection.echo(argument, as: String.self) == argument)
            }
            let length = try await connection.rpush(key, awkwardArguments)
            try await connection.set(key + ":last", to: awkwardArguments[3])

            #expect(length == awkwardArguments.count)
            #expect(try await connection.lrange(key, as: String.self) == awkwardArguments)
            #expect(try await connection.get(key + ":last", as: String.self) == "%s%n")
        }
    }
}
