/// Why the benchmark could not go on, in a sentence that says what to do.
struct BenchError: Error, CustomStringConvertible {
    /// The message shown to whoever runs the benchmark.
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
