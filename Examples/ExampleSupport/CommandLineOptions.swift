import CGetopt
import Foundation

/// Command-line options read with the C library's `getopt_long`, so that
/// `--user=NAME`, `--user NAME`, `-u NAME` and `--` behave as in any
/// Unix tool.
public struct CommandLineOptions: Sendable {
    /// One option an example accepts.
    public struct Option: Sendable {
        public var long: String
        public var short: Character?
        public var takesValue: Bool
        public var help: String

        public init(_ long: String, short: Character? = nil, value: Bool, help: String) {
            self.long = long
            self.short = short
            self.takesValue = value
            self.help = help
        }
    }

    /// Values by long name; a flag without a value maps to "".
    public private(set) var values: [String: String] = [:]
    /// Arguments after the options.
    public private(set) var remaining: [String] = []

    /// The value of an option, if given.
    public subscript(_ name: String) -> String? { values[name] }

    /// Whether a flag was given.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// A usage text listing the options.
    public static func usage(_ synopsis: String, _ options: [Option]) -> String {
        var text = "usage: \(synopsis)\n"
        for option in options {
            let short = option.short.map { "-\($0), " } ?? "    "
            let name = "--\(option.long)" + (option.takesValue ? " VALUE" : "")
            text += "  \(short)\(name.padding(toLength: 18, withPad: " ", startingAt: 0))"
            text += " \(option.help)\n"
        }
        return text
    }

    /// Parses `arguments` (the program name first).
    ///
    /// - Throws: a message naming the unknown or incomplete option.
    public init(_ arguments: [String], options: [Option]) throws {
        var shortSpec = ":"
        for option in options {
            if let short = option.short {
                shortSpec += String(short) + (option.takesValue ? ":" : "")
            }
        }
        let names = options.map { strdup($0.long) }
        defer { for name in names { free(name) } }
        var table = options.enumerated().map { index, entry in
            CGetopt.option(
                name: names[index],
                has_arg: entry.takesValue ? required_argument : no_argument,
                flag: nil,
                val: Int32(1000 + index))
        }
        table.append(CGetopt.option(name: nil, has_arg: 0, flag: nil, val: 0))

        var argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        cgetopt_reset()
        while true {
            var index: Int32 = 0
            let code = getopt_long(Int32(arguments.count), &argv, shortSpec, &table, &index)
            if code == -1 { break }
            let matched: Option?
            if code >= 1000 {
                matched = options[Int(code) - 1000]
            } else if code == Int32(UInt8(ascii: "?")) || code == Int32(UInt8(ascii: ":")) {
                let given = arguments[max(1, Int(cgetopt_index()) - 1)]
                throw CommandLineError(
                    description: code == Int32(UInt8(ascii: ":"))
                        ? "option \(given) needs a value" : "unknown option \(given)")
            } else {
                matched = options.first { $0.short.map { Int32($0.asciiValue ?? 0) } == code }
            }
            guard let matched else { continue }
            values[matched.long] = matched.takesValue ? String(cString: cgetopt_argument()) : ""
        }
        remaining = Array(arguments.dropFirst(Int(cgetopt_index())))
    }
}

/// A command-line mistake, said in one line.
public struct CommandLineError: Error, CustomStringConvertible {
    public let description: String
}
