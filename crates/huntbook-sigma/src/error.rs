//! The one error type of this crate.

use std::path::PathBuf;

/// What went wrong. Every variant names the rule, file or frame it is about, so that its
/// `Display` stands alone in a notebook.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule file or folder could not be read.
    #[error("read {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A rule is not a Sigma rule huntbook can run: bad YAML, a malformed condition, an
    /// unknown modifier, ...
    #[error("{origin}: {message}")]
    Rule {
        /// The rule: its file, and its title when it has one.
        origin: String,
        /// What is wrong with it.
        message: String,
    },
    /// Evaluating rules over a frame failed in polars.
    #[error("{what}: {source}")]
    Frame {
        /// What was being done.
        what: String,
        /// polars' error.
        source: polars::error::PolarsError,
    },
    /// Building a Navigator layer failed.
    #[error(transparent)]
    Layer(#[from] huntbook_navigator::Error),
}

impl Error {
    pub(crate) fn rule(origin: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Rule {
            origin: origin.into(),
            message: message.into(),
        }
    }

    pub(crate) fn frame(
        what: impl Into<String>,
    ) -> impl FnOnce(polars::error::PolarsError) -> Self {
        let what = what.into();
        move |source| Error::Frame { what, source }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
