//! Downloads: a dataset file by its link (or a dataset by id or title through the
//! [`Catalogue`]), fetched like everything else (mirror, cache, offline, retries, progress)
//! and extracted once into the cache.
//!
//! Links in the metadata files name the upstream repositories
//! (`https://raw.githubusercontent.com/OTRF/Security-Datasets/master/...`); they are
//! resolved against the base URL configured for that upstream, so a mirror or a loopback
//! server serves them with no change to the notebook.
//!
//! ```no_run
//! use huntbook_datasets::Datasets;
//!
//! let datasets = Datasets::from_env()?;
//! let dataset = datasets.download(
//!     "https://raw.githubusercontent.com/OTRF/Security-Datasets/master/datasets/atomic/windows/lateral_movement/host/covenant_psremoting_command.zip",
//! )?;
//! let events = dataset.events()?;
//! println!("{events}");
//! # Ok::<(), huntbook_datasets::Error>(())
//! ```

use std::path::{Path, PathBuf};

use huntbook_fetch::{
    stderr_progress, Fetched, Fetcher, Freshness, Upstream, Url, EVTX_ATTACK_SAMPLES,
    INFOSEC_JUPYTER_BOOK, SECURITY_DATASETS,
};
use polars::prelude::DataFrame;
use serde::{Deserialize, Serialize};

use crate::archive::{self, Limits};
use crate::{events, Catalogue, Dataset, Error, Result};

/// The upstreams whose links are resolved against the configured bases.
const UPSTREAMS: [Upstream; 3] = [SECURITY_DATASETS, INFOSEC_JUPYTER_BOOK, EVTX_ATTACK_SAMPLES];

/// Downloads datasets: a [`Fetcher`] (with progress shown on standard error) and the
/// extraction [`Limits`].
#[derive(Debug, Clone)]
pub struct Datasets {
    fetcher: Fetcher,
    limits: Limits,
}

/// A downloaded dataset file, extracted when it is an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// The link asked for, as written in the metadata.
    pub link: String,
    /// The URL it was fetched from, after resolution against the configured base.
    pub url: Url,
    /// The downloaded file (in the cache, or in place for a local mirror).
    pub path: PathBuf,
    /// The extracted files (full paths), in archive order; the file itself when it is not an
    /// archive.
    pub files: Vec<PathBuf>,
    /// When the archive was cut short: what was lost (the files listed are complete).
    pub truncated: Option<String>,
}

/// What an extraction left, stored beside the extracted folder so that the next download of
/// the same unchanged archive reuses it.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Manifest {
    archive_len: u64,
    archive_modified: Option<u128>,
    files: Vec<PathBuf>,
    truncated: Option<String>,
}

fn modified_nanos(meta: &std::fs::Metadata) -> Option<u128> {
    meta.modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_nanos())
}

impl Datasets {
    /// Settings from the `HUNTBOOK_*` environment variables, progress on standard error.
    pub fn from_env() -> Result<Self> {
        Ok(Self::new(
            Fetcher::from_env()?.with_progress(stderr_progress()),
        ))
    }

    /// Downloads through `fetcher`, with the default [`Limits`].
    pub fn new(fetcher: Fetcher) -> Self {
        Datasets {
            fetcher,
            limits: Limits::default(),
        }
    }

    /// The same, with other extraction limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The fetcher in use.
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// The catalogue, through the same fetcher.
    pub fn catalogue(&self) -> Result<Catalogue> {
        Catalogue::load_with(&self.fetcher)
    }

    /// The URL a link is fetched from: a link under a known upstream (Security-Datasets,
    /// the infosec Jupyter book, EVTX-ATTACK-SAMPLES) is rebased on the base configured for
    /// it; any other URL is taken as it is.
    pub fn resolve(&self, link: &str) -> Result<Url> {
        let link = link.trim();
        for upstream in &UPSTREAMS {
            if let Some(rest) = link.strip_prefix(upstream.base) {
                return Ok(self.fetcher.base(upstream)?.join(rest)?);
            }
        }
        Url::parse(link).map_err(|e| Error::UnknownDataset {
            query: link.to_string(),
            hint: format!("not a URL ({e}); give a link, or a dataset id or title to `load`"),
        })
    }

    /// Downloads the file at `link` (cached; a file of a local mirror is read in place) and,
    /// when it is a zip or tar.gz archive, extracts it into the cache, once.
    pub fn download(&self, link: &str) -> Result<Downloaded> {
        let url = self.resolve(link)?;
        let fetched = self.fetcher.fetch(&url, Freshness::Immutable)?;
        self.unpack(link, fetched)
    }

    /// Downloads every file of a dataset.
    pub fn download_dataset(&self, dataset: &Dataset) -> Result<Vec<Downloaded>> {
        dataset
            .files
            .iter()
            .filter(|f| f.link.starts_with("http"))
            .map(|f| self.download(&f.link))
            .collect()
    }

    /// Finds a dataset by id, title or link in `catalogue`, downloads its host files (all
    /// its files when none is marked `Host`) and reads their events into one frame (see
    /// [`Downloaded::events`]).
    pub fn load(&self, catalogue: &Catalogue, query: &str) -> Result<DataFrame> {
        let dataset = catalogue.find(query)?;
        let host: Vec<_> = dataset
            .files
            .iter()
            .filter(|f| f.kind.eq_ignore_ascii_case("host"))
            .collect();
        let files = if host.is_empty() {
            dataset.files.iter().collect()
        } else {
            host
        };
        if files.is_empty() {
            return Err(Error::UnknownDataset {
                query: query.to_string(),
                hint: format!("dataset {} lists no files", dataset.id),
            });
        }
        let frames = files
            .iter()
            .map(|f| self.download(&f.link)?.events())
            .collect::<Result<Vec<_>>>()?;
        events::concat_diagonal(frames)
    }

    fn unpack(&self, link: &str, fetched: Fetched) -> Result<Downloaded> {
        let path = fetched.path.clone();
        let single = |files| Downloaded {
            link: link.to_string(),
            url: fetched.url.clone(),
            path: path.clone(),
            files,
            truncated: None,
        };
        if archive::kind(&path).is_err() {
            return Ok(single(vec![path.clone()]));
        }
        let cache_dir = &self.fetcher.config().cache_dir;
        let dest = huntbook_fetch::cache::cache_path(&cache_dir.join("extracted"), &fetched.url);
        let manifest_path = dest.with_file_name(format!(
            "{}.manifest.json",
            dest.file_name().unwrap_or_default().to_string_lossy()
        ));
        let meta = std::fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        let (archive_len, archive_modified) = (meta.len(), modified_nanos(&meta));
        let reused = std::fs::read(&manifest_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .filter(|m| {
                m.archive_len == archive_len
                    && m.archive_modified == archive_modified
                    && m.files.iter().all(|f| dest.join(f).is_file())
            });
        let manifest = match reused {
            Some(manifest) => manifest,
            None => {
                let _ = std::fs::remove_file(&manifest_path);
                let extracted = archive::extract(&path, &dest, &self.limits)?;
                let manifest = Manifest {
                    archive_len,
                    archive_modified,
                    files: extracted.files,
                    truncated: extracted.truncated,
                };
                write_atomically(
                    &manifest_path,
                    &serde_json::to_vec(&manifest).unwrap_or_default(),
                )?;
                manifest
            }
        };
        Ok(Downloaded {
            files: manifest.files.iter().map(|f| dest.join(f)).collect(),
            truncated: manifest.truncated,
            ..single(Vec::new())
        })
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .map_err(|e| Error::io("write", path, e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("write", path, e.error))?;
    Ok(())
}

/// Event files among extracted files: JSON, JSON lines, CSV, log files and Windows event
/// logs (`.evtx`), not metadata or documentation.
fn is_event_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "json" | "jsonl" | "ndjson" | "csv" | "log" | "txt" | "evtx"
    )
}

impl Downloaded {
    /// The event files among [`Downloaded::files`].
    pub fn event_files(&self) -> Vec<&Path> {
        self.files
            .iter()
            .map(PathBuf::as_path)
            .filter(|p| is_event_file(p))
            .collect()
    }

    /// The events of the dataset as one frame: its one event file read with
    /// [`events::read_event_file`], or, when it holds several, all of them stacked (columns in
    /// order of first appearance, nulls where a file lacks a column).
    pub fn events(&self) -> Result<DataFrame> {
        let files = self.event_files();
        if files.is_empty() {
            return Err(Error::events(
                self.path.display().to_string(),
                format!(
                    "no event file (JSON, CSV, log or .evtx) among the {} files of the download",
                    self.files.len()
                ),
            ));
        }
        let frames = files
            .into_iter()
            .map(events::read_event_file)
            .collect::<Result<Vec<_>>>()?;
        events::concat_diagonal(frames)
    }

    /// The dataset's events as one JSON lines file (for a Spark server, which reads files
    /// itself): its event file when that is already JSON lines, otherwise a `.jsonl` file
    /// written beside the extracted files with [`events::write_json_lines`], atomically,
    /// once, and reused while it is newer than every event file. A failed write leaves no
    /// file behind.
    pub fn json_lines_file(&self) -> Result<PathBuf> {
        let files = self.event_files();
        let Some(first) = files.first() else {
            return Err(Error::events(
                self.path.display().to_string(),
                "no event file among the files of the download",
            ));
        };
        if let [file] = files.as_slice() {
            if events::EventFormat::of_file(file)? == events::EventFormat::JsonLines {
                return Ok(file.to_path_buf());
            }
        }
        let target = first.with_extension("jsonl");
        let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if let Some(written) = modified(&target) {
            if files
                .iter()
                .all(|f| modified(f).is_some_and(|m| m <= written))
            {
                return Ok(target);
            }
        }
        let directory = target.parent().unwrap_or(Path::new("."));
        let mut part = tempfile::NamedTempFile::new_in(directory)
            .map_err(|e| Error::io("create a temporary file in", directory, e))?;
        {
            let mut out = std::io::BufWriter::new(part.as_file_mut());
            events::write_json_lines(&files, &mut out)?;
            std::io::Write::flush(&mut out).map_err(|e| Error::io("write", &target, e))?;
        }
        part.persist(&target)
            .map_err(|e| Error::io("write", &target, e.error))?;
        Ok(target)
    }

    /// The events of the extracted file whose name is `name`.
    pub fn events_of(&self, name: &str) -> Result<DataFrame> {
        let file = self
            .files
            .iter()
            .find(|f| f.file_name().is_some_and(|n| n == name))
            .ok_or_else(|| {
                Error::events(
                    self.path.display().to_string(),
                    format!(
                        "no file named {name:?}; the download holds: {}",
                        self.files
                            .iter()
                            .filter_map(|f| f.file_name())
                            .map(|n| n.to_string_lossy().into_owned())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        events::read_event_file(file)
    }
}
