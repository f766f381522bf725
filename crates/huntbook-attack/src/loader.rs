//! [`AttackLoader`]: one API for every source of ATT&CK data.

use std::path::PathBuf;

use huntbook_fetch::{
    FetchConfig, Fetcher, Freshness, Origin, ATTACK_STIX_DATA, ATTACK_TAXII, MITRE_CTI,
};

use crate::bundle::Bundle;
use crate::release::{compare_versions, Domain, Release, ReleaseIndex};
use crate::{taxii, Attack, Error, FileSource, LoadReport, LoadedFile, Result};

/// Environment variable pinning the ATT&CK release (`18.1`, `9.0`, `latest`).
pub const ENV_RELEASE: &str = "HUNTBOOK_ATTACK_RELEASE";
/// Environment variable choosing the source (`mitre-cti`, `attack-stix-data`, `taxii`, or a
/// path to a bundle file or directory).
pub const ENV_SOURCE: &str = "HUNTBOOK_ATTACK_SOURCE";

/// Where ATT&CK comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// STIX 2.0 release files of `mitre/cti` on GitHub
    /// (`ATT%26CK-v{release}/{domain}/{domain}.json`); every release since 1.0, and the
    /// only source with PRE-ATT&CK. The default.
    #[default]
    MitreCti,
    /// STIX 2.1 release files of `mitre-attack/attack-stix-data`
    /// (`master/{domain}/{domain}-{release}.json`).
    AttackStixData,
    /// MITRE's TAXII 2.1 server (always its current release), or any TAXII 2.1 server set
    /// as the `attack-taxii` base.
    Taxii,
    /// A local bundle file, or a directory of bundles or per-object files.
    Path(PathBuf),
}

impl Source {
    /// Parses `mitre-cti` (or `stix20`), `attack-stix-data` (or `stix21`), `taxii`, or else
    /// takes the text as a path.
    pub fn parse(text: &str) -> Source {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "mitre-cti" | "cti" | "stix20" | "stix2.0" | "github" => Source::MitreCti,
            "attack-stix-data" | "stix21" | "stix2.1" => Source::AttackStixData,
            "taxii" | "taxii21" => Source::Taxii,
            _ => Source::Path(PathBuf::from(text.trim())),
        }
    }
}

/// Loads ATT&CK: choose a [`Source`], a [`Release`] and the [`Domain`]s, then
/// [`AttackLoader::load`].
///
/// ```no_run
/// use huntbook_attack::{AttackLoader, Domain};
///
/// // What a notebook does: HUNTBOOK_* variables decide mirror, cache, offline and release.
/// let attack = AttackLoader::from_env()?.load()?;
/// // Pinned, in code.
/// let v9 = AttackLoader::from_env()?.release("9.0").load()?;
/// let ics = AttackLoader::from_env()?.domains([Domain::Ics]).load()?;
/// # Ok::<(), huntbook_attack::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AttackLoader {
    source: Source,
    release: Release,
    domains: Option<Vec<Domain>>,
    config: FetchConfig,
}

impl Default for AttackLoader {
    fn default() -> Self {
        Self::new(FetchConfig::default())
    }
}

impl AttackLoader {
    /// A loader with these fetch settings, the `mitre-cti` source, the latest release and
    /// the default domains.
    pub fn new(config: FetchConfig) -> Self {
        Self {
            source: Source::default(),
            release: Release::Latest,
            domains: None,
            config,
        }
    }

    /// A loader configured from the environment: the `HUNTBOOK_*` fetch variables (mirror,
    /// cache, offline, timeout, retries), `HUNTBOOK_ATTACK_RELEASE` and
    /// `HUNTBOOK_ATTACK_SOURCE`.
    pub fn from_env() -> Result<Self> {
        let mut loader = Self::new(FetchConfig::from_env()?);
        if let Ok(release) = std::env::var(ENV_RELEASE) {
            loader.release = Release::parse(&release)
                .map_err(|e| Error::Invalid(format!("{ENV_RELEASE}: {e}")))?;
        }
        if let Ok(source) = std::env::var(ENV_SOURCE) {
            loader.source = Source::parse(&source);
        }
        Ok(loader)
    }

    /// Sets the source.
    pub fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Sets the release (`"18.1"`, `"latest"`, or a [`Release`]).
    pub fn release(mut self, release: impl Into<Release>) -> Self {
        self.release = release.into();
        self
    }

    /// Sets the domains to load.
    pub fn domains(mut self, domains: impl IntoIterator<Item = Domain>) -> Self {
        self.domains = Some(domains.into_iter().collect());
        self
    }

    /// Replaces the fetch settings.
    pub fn fetch_config(mut self, config: FetchConfig) -> Self {
        self.config = config;
        self
    }

    /// The fetch settings in force.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// The release index (`master/index.json` of attack-stix-data), from the network when
    /// possible, else the cache.
    pub fn release_index(&self) -> Result<ReleaseIndex> {
        let fetcher = Fetcher::new(self.config.clone());
        release_index(&fetcher)
    }

    /// The release "latest" stands for, or the pinned one.
    pub fn resolve_release(&self) -> Result<String> {
        match &self.release {
            Release::Pinned(v) => Ok(v.clone()),
            Release::Latest => self
                .release_index()
                .map_err(|e| match e {
                    Error::Fetch(f @ huntbook_fetch::Error::Offline { .. }) => Error::Invalid(format!(
                        "cannot tell which release \"latest\" is: {f}; or pin one with {ENV_RELEASE}=18.1"
                    )),
                    other => other,
                })?
                .latest()
                .ok_or_else(|| {
                Error::Invalid("the ATT&CK release index lists no Enterprise release".into())
            }),
        }
    }

    /// The domains that will be loaded for `release`: those set, else Enterprise, Mobile
    /// and ICS, plus PRE-ATT&CK from `mitre-cti` for releases before 10.0 (the era when it
    /// was still served beside the others, as in the seed notebook).
    pub fn domains_for(&self, release: &str) -> Vec<Domain> {
        if let Some(domains) = &self.domains {
            return domains.clone();
        }
        let mut domains = vec![Domain::Enterprise, Domain::Mobile, Domain::Ics];
        if self.source == Source::MitreCti
            && compare_versions(release, "10.0") == std::cmp::Ordering::Less
        {
            domains.push(Domain::Pre);
        }
        domains
    }

    /// Loads ATT&CK. [`Attack::load_report`] then tells where each file came from and how
    /// long the load took.
    pub fn load(&self) -> Result<Attack> {
        let started = std::time::Instant::now();
        let mut sources = Vec::new();
        let mut attack = self.load_from(&mut sources)?;
        // Release files note their own source; a local path or TAXII's collections have one.
        let fallback = match self.source {
            Source::Path(_) => FileSource::LocalFile,
            _ => FileSource::Network,
        };
        let files = attack
            .origins
            .iter()
            .enumerate()
            .map(|(i, name)| LoadedFile {
                name: name.clone(),
                source: sources.get(i).copied().unwrap_or(fallback),
            })
            .collect();
        attack.load_report = Some(LoadReport {
            release: attack.release().map(str::to_string),
            files,
            elapsed: started.elapsed(),
        });
        Ok(attack)
    }

    /// Loads ATT&CK, noting in `sources` where each release file came from.
    fn load_from(&self, sources: &mut Vec<FileSource>) -> Result<Attack> {
        let fetcher = Fetcher::new(self.config.clone());
        match &self.source {
            Source::Path(path) => Attack::from_path(path),
            Source::Taxii => {
                let base = fetcher.base(&ATTACK_TAXII)?;
                let domains = self
                    .domains
                    .clone()
                    .unwrap_or_else(|| vec![Domain::Enterprise, Domain::Mobile, Domain::Ics]);
                taxii::load(&fetcher, &base, &domains, &self.release)
            }
            Source::MitreCti | Source::AttackStixData => {
                let release = self.resolve_release()?;
                self.load_release_files(&fetcher, &release, sources)
            }
        }
    }

    fn release_url(
        &self,
        fetcher: &Fetcher,
        release: &str,
        domain: Domain,
    ) -> Result<huntbook_fetch::Url> {
        let d = domain.as_str();
        Ok(match self.source {
            Source::AttackStixData => fetcher
                .base(&ATTACK_STIX_DATA)?
                .join(&format!("master/{d}/{d}-{release}.json"))?,
            _ => fetcher
                .base(&MITRE_CTI)?
                .join(&format!("ATT%26CK-v{release}/{d}/{d}.json"))?,
        })
    }

    fn load_release_files(
        &self,
        fetcher: &Fetcher,
        release: &str,
        sources: &mut Vec<FileSource>,
    ) -> Result<Attack> {
        let mirrored = fetcher.config().mirror.is_some();
        let domains = self.domains_for(release);
        if self.source == Source::AttackStixData && domains.contains(&Domain::Pre) {
            return Err(Error::Invalid(
                "PRE-ATT&CK is not published in STIX 2.1; load it from the mitre-cti source".into(),
            ));
        }
        let jobs = domains
            .iter()
            .map(|&d| Ok((d, self.release_url(fetcher, release, d)?)))
            .collect::<Result<Vec<_>>>()?;
        // One domain at a time: each file's bytes are freed before the next is read, which
        // keeps the peak memory at one file plus the objects (threads measured no faster).
        let results: Vec<Result<(Bundle, Domain, String, FileSource)>> = jobs
            .iter()
            .map(|(domain, url)| {
                let fetched = fetcher.fetch(url, Freshness::Immutable).map_err(|e| {
                    if e.is_not_found() {
                        self.unknown_release(fetcher, release, *domain, url.as_str())
                    } else {
                        Error::Fetch(e)
                    }
                })?;
                let name = fetched.display_name();
                let source = FileSource::of(fetched.origin, mirrored);
                let bytes = fetched.read()?;
                match Bundle::from_slice(&bytes, &name) {
                    Ok(bundle) => Ok((bundle, *domain, name, source)),
                    Err(e) => {
                        // A cached copy that does not parse must not be served again.
                        if fetched.origin != Origin::Local {
                            huntbook_fetch::cache::remove(&fetched.path);
                        }
                        Err(e)
                    }
                }
            })
            .collect();
        let mut attack = Attack::new();
        for result in results {
            let (bundle, domain, name, source) = result?;
            attack.add_bundle(bundle, Some(domain));
            attack.origins.push(name);
            sources.push(source);
        }
        attack.release = Some(release.to_string());
        Ok(attack)
    }

    fn unknown_release(
        &self,
        fetcher: &Fetcher,
        release: &str,
        domain: Domain,
        url: &str,
    ) -> Error {
        let hint = match release_index(fetcher) {
            Ok(index) => {
                let known = index.releases(domain);
                if known.iter().any(|v| v == release) {
                    format!("release {release} exists but its {domain} file is missing from this source")
                } else {
                    format!("published releases: {}", known.join(", "))
                }
            }
            Err(_) => "the release file does not exist".to_string(),
        };
        Error::UnknownRelease {
            release: release.to_string(),
            domain: domain.to_string(),
            url: Some(url.to_string()),
            hint,
        }
    }
}

fn release_index(fetcher: &Fetcher) -> Result<ReleaseIndex> {
    let url = fetcher.base(&ATTACK_STIX_DATA)?.join("master/index.json")?;
    let (bytes, fetched) = fetcher.read(&url, Freshness::Revalidate)?;
    ReleaseIndex::from_slice(&bytes, &fetched.display_name())
}
