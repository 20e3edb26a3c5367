import Foundation

/// The text table `bench` prints: one block per idle mode, throughput rows
/// first, then client CPU time per operation, then pub/sub latency.
struct ResultTable {
    var comparisons: [Comparison]
    var executors: [CallerExecutor]
    /// Lines printed above the table: what one run of each workload does.
    var heading: [String]
    /// Lines printed under the table: how each section's rows read.
    var legend: [String]

    private let widths = (workload: 16, transport: 4, peer: 26, figure: 10, ratio: 6)

    /// The blocks of each idle mode: a title (none for throughput, which
    /// comes first) and the unit of its rows.
    private static let blocks: [(title: String?, unit: Comparison.Unit)] = [
        (nil, .operationsPerSecond),
        ("client CPU time per operation (µs, user + system):", .cpuMicrosecondsPerOperation),
        ("publish-to-receive latency, median (µs):", .latencyP50Microseconds),
        ("publish-to-receive latency, 99th percentile (µs):", .latencyP99Microseconds),
    ]

    /// The table as lines of text, each within 100 columns.
    var text: String {
        var lines = heading
        let idleModes = IdleMode.allCases.filter { mode in
            comparisons.contains { $0.idleMode == mode }
        }
        for idleMode in idleModes {
            let rows = comparisons.filter { $0.idleMode == idleMode }
            lines.append("")
            lines.append("idle mode: \(idleMode.rawValue)")
            lines.append(header)
            lines.append(String(repeating: "-", count: header.count))
            for block in Self.blocks {
                let blockRows = rows.filter { $0.unit == block.unit }
                guard !blockRows.isEmpty else { continue }
                if let title = block.title { lines.append(title) }
                lines += blockRows.map(row)
            }
        }
        lines.append("")
        lines += legend
        lines.append(Self.ratioLegend)
        return lines.joined(separator: "\n")
    }

    private static let ratioLegend = """
        A ratio is the median, over the repetitions, of ours against the peer in the same
        repetition; above 1 means ours did better (ours ÷ peer for throughput, peer ÷ ours for
        CPU µs/op and latency). "-": no figure (no peer, or the executor did not run).
        """

    private var header: String {
        var columns = [
            pad("workload", widths.workload), pad("via", widths.transport),
            pad("peer", widths.peer),
        ]
        for executor in executors {
            columns.append(padLeft("ours \(tag(executor))", widths.figure))
        }
        columns.append(padLeft("peer", widths.figure))
        for executor in executors { columns.append(padLeft("\(tag(executor)) ×", widths.ratio)) }
        return columns.joined(separator: " ")
    }

    private func row(_ comparison: Comparison) -> String {
        var columns = [
            pad(comparison.workload, widths.workload),
            pad(comparison.transport, widths.transport),
            pad(comparison.peer, widths.peer),
        ]
        let format = { (value: Double) in Self.format(value, unit: comparison.unit) }
        for executor in executors {
            columns.append(
                padLeft(
                    comparison.ours(executor).map { format($0.median) } ?? "-",
                    widths.figure))
        }
        columns.append(padLeft(format(comparison.peerMedian), widths.figure))
        for executor in executors {
            let ratio = comparison.ours(executor)?.ratio
            let text = ratio.flatMap { $0.isFinite ? String(format: "%.2f", $0) : nil }
            columns.append(padLeft(text ?? "-", widths.ratio))
        }
        return columns.joined(separator: " ")
    }

    private func tag(_ executor: CallerExecutor) -> String {
        switch executor {
        case .global: "G"
        case .taskExecutor: "T"
        }
    }

    /// Throughput with thousands separators, CPU time with two decimals,
    /// latency with one.
    static func format(_ value: Double, unit: Comparison.Unit) -> String {
        guard value.isFinite else { return "-" }
        switch unit {
        case .operationsPerSecond:
            let digits = String(Int(value.rounded()))
            var grouped = ""
            for (index, digit) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(digit)
            }
            return grouped
        case .cpuMicrosecondsPerOperation, .systemCPUMicrosecondsPerOperation:
            return String(format: "%.2f", value)
        case .latencyP50Microseconds, .latencyP99Microseconds:
            return String(format: "%.1f", value)
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
