//! The one error type of this crate.

use std::path::PathBuf;

/// What went wrong with a dataset. Every variant names the file, URL or dataset it is about,
/// so its `Display` stands alone in a notebook.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Fetching a file failed (HTTP, offline, cache).
    #[error(transparent)]
    Fetch(#[from] huntbook_fetch::Error),
    /// A local file operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "create", ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not a readable archive (not a zip or a gzip stream, or corrupt).
    #[error("{}: {message}", path.display())]
    Archive {
        /// The archive.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An archive member's path would land outside the target folder (zip-slip).
    #[error("{}: member `{entry}` would be written outside the target folder; refusing to extract", archive.display())]
    UnsafePath {
        /// The archive.
        archive: PathBuf,
        /// The member's path as stored.
        entry: String,
    },
    /// An archive expands past its size or member limit.
    #[error("{}: {what} exceeds the limit of {limit}; refusing to extract (see archive::Limits)", archive.display())]
    TooLarge {
        /// The archive.
        archive: PathBuf,
        /// What went over ("the expanded size", "the number of members").
        what: &'static str,
        /// The limit, with its unit.
        limit: String,
    },
    /// A metadata file (or a folder listing) could not be read.
    #[error("{source_name}: {message}")]
    Metadata {
        /// The file or URL.
        source_name: String,
        /// What is wrong with it.
        message: String,
    },
    /// No dataset matches an id, title or link.
    #[error("no dataset `{query}` in the Security-Datasets catalogue ({hint})")]
    UnknownDataset {
        /// What was asked for.
        query: String,
        /// Close matches, or the catalogue's size.
        hint: String,
    },
    /// An event file is not what it should be (a line that is not a JSON object, ...).
    #[error("{source_name}{}: {message}", position(*line, *column))]
    Events {
        /// The file, or the download.
        source_name: String,
        /// The line, counting from 1, when the fault has one.
        line: Option<usize>,
        /// The column, counting from 1, when the fault has one.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A text is not a Windows access mask (hexadecimal `0x1410` or decimal).
    #[error("{mask:?} is not an access mask: {source}")]
    AccessMask {
        /// The text.
        mask: String,
        /// Why it does not parse.
        source: std::num::ParseIntError,
    },
    /// A column of a frame cannot be read as asked.
    #[error("column {column:?}: {source}")]
    Column {
        /// The column.
        column: String,
        /// polars' error.
        source: polars::error::PolarsError,
    },
    /// Building a frame failed.
    #[error(transparent)]
    Frame(#[from] huntbook_frames::FrameError),
}

/// `, line 3, column 7`, `, line 3`, or nothing: where in a file a fault is.
fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(", line {line}, column {column}"),
        (Some(line), None) => format!(", line {line}"),
        _ => String::new(),
    }
}

impl Error {
    /// An [`Error::Events`] for serde's fault in JSON events. `line` is the file's line when
    /// the fault's line was parsed alone (JSON lines), else serde's line is used. serde gives
    /// 0 for a line or column it does not know (a value of the wrong type): left out then.
    pub(crate) fn json_events(source: &str, line: Option<usize>, e: &serde_json::Error) -> Self {
        let known = |n: usize| (n > 0).then_some(n);
        Error::Events {
            source_name: source.to_string(),
            line: line.or(known(e.line())),
            column: known(e.column()),
            message: huntbook_fetch::json_message(e),
        }
    }

    /// An [`Error::Io`].
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

impl Error {
    /// An [`Error::Events`] without a position in the file.
    pub fn events(source_name: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Events {
            source_name: source_name.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
