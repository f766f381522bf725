//! The one error type of this crate.

/// What went wrong while loading or querying ATT&CK. Each message names the file, URL or
/// object it is about and stands alone (notebooks print only `Display`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Fetching a file failed (HTTP status, network, cache, offline).
    #[error(transparent)]
    Fetch(#[from] huntbook_fetch::Error),
    /// The file is not valid JSON, or an object in it is malformed.
    #[error("failed to read STIX bundle {name}: line {line}, column {column}: {message}")]
    Json {
        /// File path or URL.
        name: String,
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
        /// What serde_json found.
        message: String,
    },
    /// The file is JSON but not a STIX bundle (nor a single STIX object).
    #[error("{name} is not a STIX bundle: {found}")]
    NotABundle {
        /// File path or URL.
        name: String,
        /// What was found instead.
        found: String,
    },
    /// The requested ATT&CK release is not published (by this source).
    #[error("unknown ATT&CK release {release:?} for {domain}{}: {hint}", url.as_deref().map(|u| format!(" ({u})")).unwrap_or_default())]
    UnknownRelease {
        /// The release asked for.
        release: String,
        /// The domain asked for.
        domain: String,
        /// The URL that was not found, if any.
        url: Option<String>,
        /// The releases known, or what to do.
        hint: String,
    },
    /// A TAXII server answered with an error message.
    #[error("TAXII server error from {url}: HTTP {status}: {title}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Taxii {
        /// The URL requested.
        url: String,
        /// HTTP status.
        status: u16,
        /// The error's title.
        title: String,
        /// The error's description.
        description: Option<String>,
    },
    /// A TAXII reply did not follow the protocol.
    #[error("unexpected TAXII reply from {url}: {message}")]
    TaxiiProtocol {
        /// The URL requested.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// A local path could not be read.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: std::path::PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A lookup found nothing.
    #[error("no ATT&CK {kind} matches {query:?}")]
    NotFound {
        /// `technique`, `group`, ...
        kind: &'static str,
        /// What was looked up.
        query: String,
    },
    /// An argument or setting is not valid.
    #[error("{0}")]
    Invalid(String),
    /// Building a frame failed.
    #[error(transparent)]
    Frame(#[from] huntbook_frames::FrameError),
}

impl Error {
    pub(crate) fn json(name: &str, error: &serde_json::Error) -> Self {
        Error::Json {
            name: name.to_string(),
            line: error.line(),
            column: error.column(),
            message: huntbook_fetch::json_message(error),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) trait FrameContext<T> {
    fn frame(self, frame: &'static str) -> Result<T>;
}

impl<T> FrameContext<T> for polars::error::PolarsResult<T> {
    fn frame(self, frame: &'static str) -> Result<T> {
        self.map_err(|source| Error::Frame(huntbook_frames::FrameError { frame, source }))
    }
}
