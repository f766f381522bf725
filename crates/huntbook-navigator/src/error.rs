//! What can go wrong with a layer, each naming the file, column or technique concerned.

use std::path::PathBuf;

/// A layer error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A layer file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A layer is not valid JSON, or not a layer.
    #[error("{origin}: not a Navigator layer: {message}")]
    Json {
        /// The file or name the layer came from.
        origin: String,
        /// serde's message, with its line and column.
        message: String,
    },
    /// A layer format this crate does not read.
    #[error("{origin}: layer format {version} is not supported (3.0 and 4.0 to 4.5 are)")]
    Version {
        /// The file or name the layer came from.
        origin: String,
        /// The `versions.layer` it declares.
        version: String,
    },
    /// A frame does not have what a layer needs.
    #[error("{what}: {message}")]
    Frame {
        /// The layer being built.
        what: String,
        /// What is wrong with the frame.
        message: String,
    },
    /// Layers of different domains cannot be combined.
    #[error("cannot combine a {left} layer with a {right} layer")]
    Domains {
        /// The first layer's domain.
        left: String,
        /// The other's.
        right: String,
    },
    /// A polars operation failed.
    #[error("{what}: {source}")]
    Polars {
        /// The frame being built.
        what: String,
        /// polars' error.
        #[source]
        source: polars::error::PolarsError,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] huntbook_charts::Error),
    /// An ATT&CK look-up failed.
    #[error(transparent)]
    Attack(#[from] huntbook_attack::Error),
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
