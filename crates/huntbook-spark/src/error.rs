//! The crate's error type: each message names the endpoint, the view, path or column, and what
//! went wrong, and stands alone when a notebook prints it. Tokens never appear in a message.

use std::path::PathBuf;

/// What can go wrong talking to a Spark Connect server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connection string is not a Spark Connect URL.
    #[error("invalid Spark Connect address {remote}: {reason} (expected sc://host:port, optionally followed by ;token=...;use_ssl=true)")]
    Remote {
        /// The address as given, with any token hidden.
        remote: String,
        /// What the parser said.
        reason: String,
    },
    /// Nothing accepts connections where the address points.
    #[error("cannot reach the Spark Connect server {remote} at {address}: {source} (is the server running, and is the port right?)")]
    Unreachable {
        /// The address as given, with any token hidden.
        remote: String,
        /// `host:port` as dialled.
        address: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The server refused or failed a request.
    #[error("Spark Connect server {remote}: {action} failed: {message}")]
    Server {
        /// The address, with any token hidden.
        remote: String,
        /// What was asked, with the SQL text, view or path.
        action: String,
        /// The server's (or the client's) message.
        message: String,
    },
    /// The server read a file but found no columns: missing, empty, or not JSON lines.
    #[error("Spark Connect server {remote} found no events in {path} for view {view}: {reason}; the path is read by the server, not by this machine, so it must be a path or URL the cluster can read")]
    NoEvents {
        /// The address, with any token hidden.
        remote: String,
        /// The view that was to be registered.
        view: String,
        /// The path or URL given to the server.
        path: String,
        /// What the schema showed.
        reason: String,
    },
    /// A frame column has a type this crate does not send to Spark.
    #[error("cannot send column {column} ({dtype}) of view {view} to Spark: only booleans, integers, floats and strings are sent (cast the column first)")]
    UnsupportedColumn {
        /// The view the frame was to be registered as.
        view: String,
        /// The column.
        column: String,
        /// Its polars type.
        dtype: String,
    },
    /// Arrow data from the server could not become a polars frame.
    #[error("Spark Connect server {remote}: the result of {action} could not be read as a polars frame: {message}")]
    Arrow {
        /// The address, with any token hidden.
        remote: String,
        /// What was asked.
        action: String,
        /// What went wrong.
        message: String,
    },
    /// A local server (Sail or Spark) did not start.
    #[error(
        "the local {server} server did not start: {reason}; the end of its log ({log}):\n{tail}"
    )]
    LocalServer {
        /// Which server.
        server: String,
        /// Why it is judged not started.
        reason: String,
        /// Its log file.
        log: PathBuf,
        /// The last lines of that log.
        tail: String,
    },
    /// A local server could not be launched at all.
    #[error("cannot launch the local {server} server ({program}): {source}")]
    Launch {
        /// Which server.
        server: String,
        /// The program run.
        program: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The connection string with the value of any `token` parameter replaced by `***`.
pub(crate) fn redact(remote: &str) -> String {
    remote
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((key, _)) if key.trim().eq_ignore_ascii_case("token") => format!("{key}=***"),
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_the_token() {
        assert_eq!(
            redact("sc://host:443/;use_ssl=true;token=s3cr3t;user_id=ana"),
            "sc://host:443/;use_ssl=true;token=***;user_id=ana"
        );
        assert_eq!(redact("sc://127.0.0.1:15002"), "sc://127.0.0.1:15002");
    }
}
