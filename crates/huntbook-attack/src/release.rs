//! Domains, releases and the release index of attack-stix-data.

use serde::Deserialize;

use crate::{Error, Result};

/// An ATT&CK domain (matrix family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    /// Enterprise ATT&CK (`enterprise-attack`).
    Enterprise,
    /// Mobile ATT&CK (`mobile-attack`).
    Mobile,
    /// ATT&CK for ICS (`ics-attack`).
    Ics,
    /// PRE-ATT&CK (`pre-attack`), merged into Enterprise in v8 and kept as a frozen file.
    Pre,
}

impl Domain {
    /// Every domain.
    pub const ALL: [Domain; 4] = [Domain::Enterprise, Domain::Mobile, Domain::Ics, Domain::Pre];

    /// The domain's file and `x_mitre_domains` name (`enterprise-attack`).
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Enterprise => "enterprise-attack",
            Domain::Mobile => "mobile-attack",
            Domain::Ics => "ics-attack",
            Domain::Pre => "pre-attack",
        }
    }

    /// The `source_name` of the domain's ATT&CK ids, the seed notebook's `matrix` column
    /// (`mitre-attack`, `mitre-mobile-attack`, `mitre-ics-attack`, `mitre-pre-attack`).
    pub fn matrix(self) -> &'static str {
        match self {
            Domain::Enterprise => "mitre-attack",
            Domain::Mobile => "mitre-mobile-attack",
            Domain::Ics => "mitre-ics-attack",
            Domain::Pre => "mitre-pre-attack",
        }
    }

    /// Parses `enterprise-attack`, `enterprise`, `mitre-attack`, ... (case-insensitive).
    pub fn parse(text: &str) -> Option<Domain> {
        let t = text.trim().to_ascii_lowercase();
        Domain::ALL.into_iter().find(|d| {
            t == d.as_str() || t == d.matrix() || t == d.as_str().trim_end_matches("-attack")
        })
    }
}

impl std::fmt::Display for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Domain {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Domain::parse(s).ok_or_else(|| {
            Error::Invalid(format!(
                "unknown ATT&CK domain {s:?}: expected enterprise-attack, mobile-attack, ics-attack or pre-attack"
            ))
        })
    }
}

/// Which ATT&CK release to load.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Release {
    /// The newest release in the release index.
    #[default]
    Latest,
    /// A given release (`18.1`, `9.0`).
    Pinned(String),
}

impl Release {
    /// Parses `latest`, `18.1`, `v18.1`, `ATT&CK-v18.1`; a bare major (`9`) means `9.0`.
    pub fn parse(text: &str) -> Result<Release> {
        let t = text.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("latest") {
            return Ok(Release::Latest);
        }
        let t = t
            .trim_start_matches("ATT&CK-")
            .trim_start_matches(['v', 'V']);
        let valid = !t.is_empty()
            && t.split('.').count() <= 3
            && t.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !valid {
            return Err(Error::Invalid(format!(
                "invalid ATT&CK release {text:?}: expected \"latest\" or a version like \"18.1\""
            )));
        }
        Ok(Release::Pinned(if t.contains('.') {
            t.to_string()
        } else {
            format!("{t}.0")
        }))
    }

    /// The version, when pinned.
    pub fn version(&self) -> Option<&str> {
        match self {
            Release::Latest => None,
            Release::Pinned(v) => Some(v),
        }
    }
}

impl From<&str> for Release {
    /// Like [`Release::parse`]; text that does not parse is kept as given, and is reported
    /// as an unknown release when loading.
    fn from(text: &str) -> Self {
        Release::parse(text).unwrap_or_else(|_| Release::Pinned(text.to_string()))
    }
}

impl From<String> for Release {
    /// Like `From<&str>`.
    fn from(text: String) -> Self {
        Release::from(text.as_str())
    }
}

impl std::fmt::Display for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Release::Latest => f.write_str("latest"),
            Release::Pinned(v) => f.write_str(v),
        }
    }
}

/// Compares release versions numerically (`9.0` < `18.1`).
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parts(a).cmp(&parts(b))
}

/// `master/index.json` of attack-stix-data: every release of every domain.
#[derive(Debug, Clone, Deserialize)]
pub struct ReleaseIndex {
    /// One entry per domain.
    #[serde(default)]
    pub collections: Vec<IndexCollection>,
}

/// A domain's entry in the [`ReleaseIndex`].
#[derive(Debug, Clone, Deserialize)]
pub struct IndexCollection {
    /// The collection's STIX id.
    #[serde(default)]
    pub id: String,
    /// `Enterprise ATT&CK`, ...
    #[serde(default)]
    pub name: String,
    /// Its releases, newest first.
    #[serde(default)]
    pub versions: Vec<IndexVersion>,
}

/// One release of one domain.
#[derive(Debug, Clone, Deserialize)]
pub struct IndexVersion {
    /// `18.1`.
    pub version: String,
    /// Upstream URL of the bundle.
    #[serde(default)]
    pub url: String,
    /// Release time.
    #[serde(default)]
    pub modified: Option<String>,
}

impl IndexCollection {
    /// The domain, read from the bundle URLs (`.../enterprise-attack/...`) or the name.
    pub fn domain(&self) -> Option<Domain> {
        self.versions
            .iter()
            .find_map(|v| {
                Domain::ALL
                    .into_iter()
                    .find(|d| v.url.contains(&format!("/{}/", d.as_str())))
            })
            .or_else(|| {
                let name = self.name.to_ascii_lowercase();
                [
                    ("enterprise", Domain::Enterprise),
                    ("mobile", Domain::Mobile),
                    ("ics", Domain::Ics),
                ]
                .into_iter()
                .find(|(k, _)| name.contains(k))
                .map(|(_, d)| d)
            })
    }
}

impl ReleaseIndex {
    /// Parses `index.json`.
    pub fn from_slice(bytes: &[u8], name: &str) -> Result<Self> {
        let index: ReleaseIndex =
            serde_json::from_slice(bytes).map_err(|e| Error::json(name, &e))?;
        if index.collections.is_empty() {
            return Err(Error::NotABundle {
                name: name.to_string(),
                found: "the release index lists no collections".into(),
            });
        }
        Ok(index)
    }

    /// Releases published for a domain, newest first.
    pub fn releases(&self, domain: Domain) -> Vec<String> {
        let mut versions: Vec<String> = self
            .collections
            .iter()
            .filter(|c| c.domain() == Some(domain))
            .flat_map(|c| c.versions.iter().map(|v| v.version.clone()))
            .collect();
        versions.sort_by(|a, b| compare_versions(b, a));
        versions.dedup();
        versions
    }

    /// The newest Enterprise release (the one "latest" means).
    pub fn latest(&self) -> Option<String> {
        self.releases(Domain::Enterprise).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_parse() {
        assert_eq!(Release::parse("latest").unwrap(), Release::Latest);
        assert_eq!(
            Release::parse("v18.1").unwrap(),
            Release::Pinned("18.1".into())
        );
        assert_eq!(Release::parse("9").unwrap(), Release::Pinned("9.0".into()));
        assert_eq!(
            Release::parse("ATT&CK-v9.0").unwrap(),
            Release::Pinned("9.0".into())
        );
        assert!(Release::parse("nine").is_err());
        assert!(Release::parse("9..1").is_err());
    }

    #[test]
    fn domains_parse() {
        assert_eq!(Domain::parse("ICS"), Some(Domain::Ics));
        assert_eq!(Domain::parse("mitre-attack"), Some(Domain::Enterprise));
        assert_eq!(Domain::parse("mobile-attack"), Some(Domain::Mobile));
        assert!("x".parse::<Domain>().is_err());
    }

    #[test]
    fn index_orders_versions_numerically() {
        let index = ReleaseIndex::from_slice(
            br#"{"collections": [{"name": "Enterprise ATT&CK", "versions": [
                {"version": "9.0", "url": "https://x/master/enterprise-attack/enterprise-attack-9.0.json"},
                {"version": "18.1", "url": "https://x/master/enterprise-attack/enterprise-attack-18.1.json"}]}]}"#,
            "index.json",
        )
        .unwrap();
        assert_eq!(index.latest().as_deref(), Some("18.1"));
        assert_eq!(index.releases(Domain::Enterprise), ["18.1", "9.0"]);
        assert!(index.releases(Domain::Ics).is_empty());
    }
}
