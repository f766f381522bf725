//! Base URLs: where an upstream's files are read from.

use std::path::Path;

use url::Url;

use crate::{Error, Result};

/// A public source huntbook reads files from, by its upstream base URL and the folder that
/// holds its copy in a mirror laid out like `shared/data` (see [`crate::FetchConfig::mirror`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Upstream {
    /// Folder name of this upstream inside a mirror (`mitre-cti`, ...).
    pub name: &'static str,
    /// The public base URL, ending with `/`.
    pub base: &'static str,
}

/// ATT&CK STIX 2.0 release files (`ATT%26CK-v{release}/{domain}/{domain}.json`).
pub const MITRE_CTI: Upstream = Upstream {
    name: "mitre-cti",
    base: "https://raw.githubusercontent.com/mitre/cti/",
};

/// ATT&CK STIX 2.1 release files (`master/{domain}/{domain}-{release}.json`, `master/index.json`).
pub const ATTACK_STIX_DATA: Upstream = Upstream {
    name: "attack-stix-data",
    base: "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/",
};

/// OTRF Security-Datasets (Mordor): metadata YAML files and dataset archives.
pub const SECURITY_DATASETS: Upstream = Upstream {
    name: "security-datasets",
    base: "https://raw.githubusercontent.com/OTRF/Security-Datasets/",
};

/// The OTRF infosec Jupyter book (APT29 demo data of the Spark SQL series).
pub const INFOSEC_JUPYTER_BOOK: Upstream = Upstream {
    name: "infosec-jupyter-book",
    base: "https://raw.githubusercontent.com/OTRF/infosec-jupyter-book/",
};

/// MITRE's public ATT&CK TAXII 2.1 server (its API root).
pub const ATTACK_TAXII: Upstream = Upstream {
    name: "attack-taxii",
    base: "https://attack-taxii.mitre.org/api/v21/",
};

/// Windows event logs recorded while ATT&CK techniques ran
/// (`master/{tactic}/{file}.evtx`).
pub const EVTX_ATTACK_SAMPLES: Upstream = Upstream {
    name: "evtx-attack-samples",
    base: "https://raw.githubusercontent.com/sbousseaden/EVTX-ATTACK-SAMPLES/",
};

/// SigmaHQ's detection rules and regression data (`master/rules/...`,
/// `master/regression_data/...`).
pub const SIGMA: Upstream = Upstream {
    name: "sigma",
    base: "https://raw.githubusercontent.com/SigmaHQ/sigma/",
};

/// A base URL files are resolved against: `https://`, `http://` (a loopback server in
/// tests) or `file://` (a local directory). Always ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    url: Url,
}

impl Location {
    /// Parses a URL (`https://`, `http://`, `file://`) or, failing that, takes the text as a
    /// local directory path. A missing trailing `/` is added.
    pub fn parse(input: &str) -> Result<Self> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Error::InvalidLocation {
                input: input.to_string(),
                reason: "empty".into(),
            });
        }
        match Url::parse(trimmed) {
            Ok(url) if matches!(url.scheme(), "http" | "https" | "file") => Ok(Self::from_url(url)),
            Ok(url) if url.scheme().len() > 1 => Err(Error::InvalidLocation {
                input: input.to_string(),
                reason: format!(
                    "unsupported scheme {:?} (use https://, http://, file:// or a directory)",
                    url.scheme()
                ),
            }),
            // No scheme, or a Windows drive letter: a path.
            _ => Self::from_dir(Path::new(trimmed)),
        }
    }

    /// A local directory as a base.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let absolute = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| Error::io("failed to resolve the current directory for", dir, e))?
                .join(dir)
        };
        let url = Url::from_directory_path(&absolute).map_err(|()| Error::InvalidLocation {
            input: dir.display().to_string(),
            reason: "not an absolute directory path".into(),
        })?;
        Ok(Self { url })
    }

    fn from_url(mut url: Url) -> Self {
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Self { url }
    }

    /// The base URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// True for `file://` bases, which are read in place and never cached.
    pub fn is_local(&self) -> bool {
        self.url.scheme() == "file"
    }

    /// Resolves a relative path (already percent-encoded where needed, e.g. `ATT%26CK-v9.0/`)
    /// against this base.
    pub fn join(&self, relative: &str) -> Result<Url> {
        let relative = relative.trim_start_matches('/');
        self.url.join(relative).map_err(|e| Error::InvalidLocation {
            input: format!("{}{relative}", self.url),
            reason: e.to_string(),
        })
    }

    /// The location of a sub-folder (`mirror.child("mitre-cti")`).
    pub fn child(&self, folder: &str) -> Result<Location> {
        Ok(Self::from_url(self.join(folder)?))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.url.fmt(f)
    }
}

impl std::str::FromStr for Location {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_and_paths() {
        let l = Location::parse("https://example.org/a").unwrap();
        assert_eq!(l.url().as_str(), "https://example.org/a/");
        assert!(!l.is_local());
        let d = Location::parse("/tmp/mirror").unwrap();
        assert_eq!(d.url().as_str(), "file:///tmp/mirror/");
        assert!(d.is_local());
        assert!(Location::parse("ftp://x/").is_err());
        assert!(Location::parse("  ").is_err());
    }

    #[test]
    fn joins_percent_encoded_release_paths() {
        let base = Location::parse("file:///data/mitre-cti/").unwrap();
        let url = base
            .join("ATT%26CK-v9.0/enterprise-attack/enterprise-attack.json")
            .unwrap();
        assert_eq!(
            url.to_file_path().unwrap(),
            Path::new("/data/mitre-cti/ATT&CK-v9.0/enterprise-attack/enterprise-attack.json")
        );
        let child = Location::parse("http://127.0.0.1:9/m")
            .unwrap()
            .child("mitre-cti")
            .unwrap();
        assert_eq!(child.url().as_str(), "http://127.0.0.1:9/m/mitre-cti/");
    }
}
