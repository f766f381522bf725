//! Fetching the public files huntbook loads, the same way online, from a mirror, or offline.
//!
//! Every loader of huntbook names a file by an [`Upstream`] (for example [`MITRE_CTI`]) and a
//! path under it. The [`Fetcher`] turns that into a local file:
//!
//! - the base URL is the public one, or `{HUNTBOOK_MIRROR}/{upstream.name}/` when a mirror is
//!   set (a directory or URL laid out like the project's `shared/data`), or an explicit
//!   override; `https://`, `http://` and `file://` bases all work;
//! - `file://` files are read in place; remote files go through a cache directory
//!   (`HUNTBOOK_CACHE_DIR`), written atomically and checked against their recorded SHA-256
//!   on every reuse, so a failed download never leaves a half file behind;
//! - `HUNTBOOK_OFFLINE=1` never touches the network and says which file is missing;
//! - requests have timeouts and are retried with exponential backoff on transient faults.
//!
//! ```
//! use huntbook_fetch::{FetchConfig, Fetcher, Freshness, Location, MITRE_CTI};
//!
//! let dir = tempfile::tempdir()?;
//! let file = dir.path().join("mitre-cti/ATT&CK-v9.0/ics-attack/ics-attack.json");
//! std::fs::create_dir_all(file.parent().unwrap())?;
//! std::fs::write(&file, br#"{"type": "bundle", "id": "bundle--1", "objects": []}"#)?;
//!
//! let config = FetchConfig::default().with_mirror(Location::from_dir(dir.path())?);
//! let fetcher = Fetcher::new(config);
//! let url = fetcher
//!     .base(&MITRE_CTI)?
//!     .join("ATT%26CK-v9.0/ics-attack/ics-attack.json")?;
//! let (bytes, fetched) = fetcher.read(&url, Freshness::Immutable)?;
//! assert_eq!(fetched.path, file);
//! assert!(bytes.starts_with(b"{"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod cache;
mod config;
mod error;
mod fetcher;
mod location;

pub use config::{
    default_cache_dir, FetchConfig, ENV_CACHE_DIR, ENV_MIRROR, ENV_OFFLINE, ENV_RETRIES,
    ENV_TIMEOUT,
};
pub use error::{json_message, Error, Result};
pub use fetcher::{stderr_progress, Fetched, Fetcher, Freshness, Origin, Progress, Transfer};
pub use location::{
    Location, Upstream, ATTACK_STIX_DATA, ATTACK_TAXII, EVTX_ATTACK_SAMPLES, INFOSEC_JUPYTER_BOOK,
    MITRE_CTI, SECURITY_DATASETS, SIGMA,
};
pub use url::Url;
