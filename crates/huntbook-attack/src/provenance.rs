//! [`LoadReport`]: where each file of a loaded ATT&CK came from, and how long the load took.

use std::fmt;
use std::time::Duration;

use huntbook_fetch::Origin;

/// Where one file of a loaded ATT&CK came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileSource {
    /// Downloaded now from its public URL (and written to the cache).
    Network,
    /// Downloaded now from the configured mirror's URL (and written to the cache).
    MirrorNetwork,
    /// Read in place from the configured mirror's folder (`HUNTBOOK_MIRROR`).
    Mirror,
    /// Read from the cache, without a network request.
    Cache,
    /// Read from the cache because the network failed.
    StaleCache,
    /// A local file or folder given as the source.
    LocalFile,
}

impl FileSource {
    /// The source of a fetched file, knowing whether a mirror was configured.
    pub fn of(origin: Origin, mirrored: bool) -> Self {
        match (origin, mirrored) {
            (Origin::Network, false) => FileSource::Network,
            (Origin::Network, true) => FileSource::MirrorNetwork,
            (Origin::Local, true) => FileSource::Mirror,
            (Origin::Local, false) => FileSource::LocalFile,
            (Origin::Cache, _) => FileSource::Cache,
            (Origin::StaleCache, _) => FileSource::StaleCache,
        }
    }

    /// A short name: `network`, `mirror`, `cache`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            FileSource::Network => "network",
            FileSource::MirrorNetwork => "mirror (downloaded)",
            FileSource::Mirror => "mirror",
            FileSource::Cache => "cache",
            FileSource::StaleCache => "cache (network failed)",
            FileSource::LocalFile => "local file",
        }
    }
}

impl fmt::Display for FileSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One file (or TAXII collection) of a load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedFile {
    /// Its URL or path.
    pub name: String,
    /// Where it came from.
    pub source: FileSource,
}

/// What [`crate::AttackLoader::load`] did: the release, each file and where it came from,
/// and the time the whole load took (fetching, parsing, indexing).
///
/// ```
/// use huntbook_attack::{FileSource, LoadReport, LoadedFile};
/// use std::time::Duration;
///
/// let report = LoadReport {
///     release: Some("18.1".into()),
///     files: vec![LoadedFile { name: "file:///m/enterprise-attack.json".into(), source: FileSource::Mirror }],
///     elapsed: Duration::from_millis(250),
/// };
/// assert_eq!(report.to_string(), "ATT&CK 18.1 loaded in 0.25 s from 1 file:\n  mirror  file:///m/enterprise-attack.json");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// The release loaded, when known.
    pub release: Option<String>,
    /// The files, in load order.
    pub files: Vec<LoadedFile>,
    /// How long the load took.
    pub elapsed: Duration,
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ATT&CK")?;
        if let Some(release) = &self.release {
            write!(f, " {release}")?;
        }
        let n = self.files.len();
        write!(
            f,
            " loaded in {:.2} s from {n} file{}:",
            self.elapsed.as_secs_f64(),
            if n == 1 { "" } else { "s" }
        )?;
        let width = self
            .files
            .iter()
            .map(|l| l.source.as_str().len())
            .max()
            .unwrap_or(0);
        for file in &self.files {
            write!(f, "\n  {:<width$}  {}", file.source.as_str(), file.name)?;
        }
        Ok(())
    }
}
