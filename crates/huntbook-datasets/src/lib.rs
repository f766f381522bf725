//! Security-Datasets (formerly Mordor) for huntbook: Windows, Linux and cloud event logs
//! recorded while an adversary technique ran.
//!
//! - [`Catalogue`]: every dataset's metadata, searchable by ATT&CK technique, tactic,
//!   platform and text, as records or a polars frame.
//! - [`Datasets`]: a dataset by link, id or title, cached and extracted once, as a
//!   [`Downloaded`] whose events are one frame.
//! - [`windows`]: Windows event field decoders (process access masks).
//! - [`archive`]: safe extraction of the zip and tar.gz files datasets ship in.
//! - [`events`]: the one reader of event files: their form told apart once
//!   ([`EventFormat`]), JSON lines, a JSON array, CSV and raw text lines as polars frames
//!   (JSON typed as pandas' `read_json(lines=True)` types it), and every form written back as
//!   JSON lines for Spark.
//! - [`evtx`]: Windows event logs (`.evtx`) into the same columns as the JSON exports, with
//!   a report of what a damaged file could not give.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod archive;
mod catalogue;
mod columns;
mod download;
mod error;
pub mod events;
pub mod evtx;
pub mod windows;

pub use archive::{read_members, Limits, Members};
pub use catalogue::{frame_of, parse_metadata, AttackMapping, Catalogue, Dataset, DatasetFile};
pub use download::{Datasets, Downloaded};
pub use error::{Error, Result};
pub use events::{read_event_bytes, read_event_file, write_json_lines, EventFormat};
pub use evtx::{
    read_evtx, read_evtx_bytes, read_evtx_files, read_evtx_json, EvtxEvents, EvtxFile, Skipped,
};

/// Internals reached by the fuzz targets (`fuzz/`), built only under cargo-fuzz's
/// `--cfg fuzzing`: not part of the API.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::catalogue::parse_listing;
}
