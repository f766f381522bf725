//! The one error type of this crate.

use std::path::PathBuf;

/// What went wrong while fetching a file. Every variant names the URL or path it is about, so
/// its `Display` stands alone in a notebook.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an HTTP error status.
    #[error("GET {url} failed: HTTP {status}{}", detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Http {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// A short excerpt of the reply body, when there was one.
        detail: Option<String>,
    },
    /// The request could not be completed: connection refused, timeout, body cut short.
    #[error("GET {url} failed after {attempts} attempt(s): {message}")]
    Network {
        /// The URL requested.
        url: String,
        /// How many attempts were made.
        attempts: u32,
        /// The last transport error.
        message: String,
    },
    /// The body ended before the length the server announced.
    #[error("GET {url}: download truncated, received {received} of {expected} bytes")]
    Truncated {
        /// The URL requested.
        url: String,
        /// Bytes the server announced in `Content-Length`.
        expected: u64,
        /// Bytes actually received.
        received: u64,
    },
    /// Offline mode is on and the file is neither local nor in the cache.
    #[error(
        "offline (HUNTBOOK_OFFLINE=1): {url} is not in the cache (looked for {}); \
         run once online, or point HUNTBOOK_MIRROR at a local copy",
        cache_path.display()
    )]
    Offline {
        /// The URL that would have been fetched.
        url: String,
        /// Where the cached copy would be.
        cache_path: PathBuf,
    },
    /// A cached file no longer matches the SHA-256 recorded when it was written.
    #[error(
        "cached file {} is corrupt: SHA-256 {actual} does not match the recorded {expected}",
        path.display()
    )]
    CacheCorrupt {
        /// The cached file.
        path: PathBuf,
        /// The digest recorded at download time.
        expected: String,
        /// The digest of the file now.
        actual: String,
    },
    /// A local file (or a `file://` URL) could not be read or written.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done (`"failed to read"`, ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A base URL or mirror setting is not usable.
    #[error("invalid location {input:?}: {reason}")]
    InvalidLocation {
        /// What was given.
        input: String,
        /// Why it cannot be used.
        reason: String,
    },
}

impl Error {
    /// Wraps an I/O error with the path and action it is about.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// True when the error says the resource does not exist (HTTP 404 or a missing local
    /// file), as opposed to a transport or cache fault.
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::Http { status, .. } => *status == 404,
            Error::Io { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            _ => false,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// serde_json's message without the ` at line L column C` it appends, for errors that say
/// where the fault is themselves (in the file, where serde_json only saw one line of it).
pub fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) => message.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod json_message_tests {
    #[test]
    fn the_position_suffix_goes() {
        let error = serde_json::from_str::<serde_json::Value>("{\"a\": tru}").unwrap_err();
        assert!(
            error.to_string().ends_with(" at line 1 column 10"),
            "{error}"
        );
        assert_eq!(super::json_message(&error), "expected ident");
    }
}
