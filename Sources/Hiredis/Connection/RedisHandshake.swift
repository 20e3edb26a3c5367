import Foundation

/// The greeting every connection sends after each connect (AUTH, SELECT,
/// CLIENT SETNAME), and what a refusal of it means.
///
/// Shared by ``RedisConnection`` and ``RedisSubscriber`` so that both kinds
/// of connection greet a server, and read its refusals, the same way.
enum RedisHandshake {
    /// What the connection should do after the server refused a handshake step.
    enum Outcome {
        /// The server is still starting or failing over: drop the socket and
        /// try again later.
        case retry(reason: String)
        /// The configuration is wrong: give up for good with this error.
        case giveUp(RedisError)
    }

    /// The commands to send, in order; empty when the defaults need none.
    static func commands(for configuration: RedisConfiguration) -> [RedisCommand] {
        var steps: [RedisCommand] = []
        if let password = configuration.password {
            if let username = configuration.username {
                steps.append(RedisCommand("AUTH", username, password))
            } else {
                steps.append(RedisCommand("AUTH", password))
            }
        }
        if configuration.database != 0 {
            steps.append(RedisCommand("SELECT", configuration.database))
        }
        if let name = configuration.clientName {
            steps.append(RedisCommand("CLIENT", "SETNAME", name))
        }
        return steps
    }

    /// Reads the error reply to a handshake step. The messages never repeat
    /// the password.
    static func outcome(
        of error: RedisError, configuration: RedisConfiguration
    ) -> Outcome {
        if error.meansServerNotReady {
            return .retry(reason: "the server is not ready: \(error.message)")
        }
        switch error.serverCode {
        case "WRONGPASS", "NOAUTH", "NOPERM":
            return .giveUp(
                RedisError(
                    .authenticationFailed,
                    "Redis refused the credentials"
                        + (configuration.username.map { " for user \($0)" } ?? "")
                        + " (\(error.message)). Check the user name and password.",
                    serverCode: error.serverCode
                ))
        default:
            let authenticationProblem = error.message.localizedCaseInsensitiveContains("password")
            return .giveUp(
                RedisError(
                    authenticationProblem ? .authenticationFailed : .connectionFailed,
                    "The connection handshake failed: \(error.message). "
                        + "Check the credentials, database and client name in the configuration.",
                    serverCode: error.serverCode
                ))
        }
    }
}

extension RedisError {
    /// Whether the server refused only because it is not ready yet (loading
    /// its data, running a long script, failing over): trying again later,
    /// on a new connection, will work.
    var meansServerNotReady: Bool {
        switch serverCode {
        case "LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN": true
        default: false
        }
    }
}
