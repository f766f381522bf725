//! Security-Datasets (formerly Mordor) for huntbook: Windows, Linux and cloud event logs
//! recorded while an adversary technique ran.
//!
//! - [`catalogue`]: every dataset's metadata, searchable by ATT&CK technique, tactic,
//!   platform and text, as records or a polars frame.
//! - [`download`]: a dataset by link, id or title, cached and extracted once.
//! - [`windows`]: Windows event field decoders (process access masks).
//! - [`archive`]: safe extraction of the zip and tar.gz files datasets ship in.
//! - [`events`]: event logs (JSON lines, a JSON array, raw text lines) as polars frames,
//!   typed as pandas' `read_json(lines=True)` types them.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod archive;
pub mod catalogue;
pub mod download;
mod error;
pub mod events;
pub mod windows;

pub use catalogue::{AttackMapping, Catalogue, Dataset, DatasetFile};
pub use download::{Datasets, Downloaded};
pub use error::{Error, Result};
