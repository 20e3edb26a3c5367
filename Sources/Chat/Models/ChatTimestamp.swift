import Foundation

/// RFC 3339 timestamps as the wire format and the stored hashes hold them.
///
/// Written in UTC with three fractional digits (`2026-01-02T03:04:05.678Z`).
/// Read with any number of fractional digits (none included) and any offset,
/// `Z` and `+00:00` being the two that UTC writers use; chrono in the Rust
/// tutorial writes up to nine digits. Dates outside years 0000–9999 (in UTC,
/// to the millisecond) do not occur in chat and are not supported: parsing
/// refuses them, so that every date it returns can be written back.
///
/// Written by hand rather than with `ISO8601DateFormatter`, whose handling
/// of fractional digits differs between platforms.
enum ChatTimestamp {
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// `date` rounded to the millisecond, as ``format(_:)`` writes it; the
    /// service stamps messages with this so that what it returns equals what
    /// it reads back.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(of: date)) / 1000)
    }

    /// Writes `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func format(_ date: Date) -> String {
        let milliseconds = milliseconds(of: date)
        let (days, withinDay) = floorDivision(milliseconds, millisecondsPerDay)
        let (year, month, day) = civilDate(fromDays: days)

        let hour = withinDay / 3_600_000
        let minute = withinDay / 60_000 % 60
        let second = withinDay / 1000 % 60
        let millisecond = withinDay % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millisecond, 3))Z"
    }

    /// Reads an RFC 3339 date-time; nil when `text` is not one.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// Reads an RFC 3339 date-time from its UTF-8 bytes; nil when they are not one.
    static func parse(utf8 bytes: [UInt8]) -> Date? {
        bytes.withUnsafeBufferPointer { parse(utf8: $0) }
    }

    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var scanner = DigitScanner(bytes)

        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2),
            scanner.skip("T") || scanner.skip("t"),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second <= 60
        else { return nil }

        var fraction = 0.0
        if scanner.skip(".") {
            let digits = scanner.digits()
            guard !digits.isEmpty, let value = fractionValue(of: digits) else { return nil }
            fraction = value
        }

        let offsetSeconds: Int64
        if scanner.skip("Z") || scanner.skip("z") {
            offsetSeconds = 0
        } else {
            let sign: Int64
            if scanner.skip("+") {
                sign = 1
            } else if scanner.skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHour = scanner.number(digits: 2), scanner.skip(":"),
                let offsetMinute = scanner.number(digits: 2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        }
        guard scanner.atEnd else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let date = Date(timeIntervalSince1970: Double(seconds) + fraction)

        // An offset, a leap second or rounding to the millisecond can carry
        // a date out of years 0000-9999 in UTC, where format(_:) could not
        // write it back as RFC 3339.
        guard writableMilliseconds.contains(milliseconds(of: date)) else { return nil }
        return date
    }

    /// The instants ``format(_:)`` writes with four-digit years.
    private static let writableMilliseconds: Range<Int64> = {
        let first = daysSinceEpoch(year: 0, month: 1, day: 1)
        let end = daysSinceEpoch(year: 10_000, month: 1, day: 1)
        return first * millisecondsPerDay..<end * millisecondsPerDay
    }()

    /// The value of the fractional digits after a decimal point.
    ///
    /// Up to 15 digits, both the digits read as an integer and the power of
    /// ten are exact doubles, so their quotient is the nearest double to the
    /// decimal, as a parse of the text would give, without building the text.
    private static func fractionValue(of digits: UnsafeBufferPointer<UInt8>.SubSequence) -> Double?
    {
        guard digits.count <= 15 else {
            return Double("0." + String(decoding: digits, as: UTF8.self))
        }
        var numerator: Int64 = 0
        var denominator: Int64 = 1
        for digit in digits {
            numerator = numerator * 10 + Int64(digit - UInt8(ascii: "0"))
            denominator *= 10
        }
        return Double(numerator) / Double(denominator)
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's algorithms)

    private static func milliseconds(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0
            ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra =
            (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads ASCII digits and punctuation off the front of a byte buffer.
private struct DigitScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Exactly `digits` decimal digits as a number.
    mutating func number(digits: Int) -> Int64? {
        guard index + digits <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + digits] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += digits
        return value
    }

    /// Every decimal digit from here on.
    mutating func digits() -> UnsafeBufferPointer<UInt8>.SubSequence {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            index += 1
        }
        return bytes[start..<index]
    }
}

extension KeyedDecodingContainer {
    /// Reads an RFC 3339 timestamp string.
    func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = ChatTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "'\(text)' is not an RFC 3339 timestamp.")
        }
        return date
    }

    /// Reads an RFC 3339 timestamp string, or nil when the key is missing or null.
    func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeTimestamp(forKey: key)
    }
}
