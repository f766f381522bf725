//! Settings shared by every loader: mirror, cache, offline mode, timeouts and retries.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::{Error, Location, Result, Upstream};

/// Environment variable naming a mirror (directory or URL) laid out like `shared/data`.
pub const ENV_MIRROR: &str = "HUNTBOOK_MIRROR";
/// Environment variable naming the cache directory.
pub const ENV_CACHE_DIR: &str = "HUNTBOOK_CACHE_DIR";
/// Environment variable that, set to `1`/`true`/`yes`, forbids network access.
pub const ENV_OFFLINE: &str = "HUNTBOOK_OFFLINE";
/// Environment variable: HTTP timeout of one request, in seconds.
pub const ENV_TIMEOUT: &str = "HUNTBOOK_HTTP_TIMEOUT";
/// Environment variable: how many times a failed request is retried.
pub const ENV_RETRIES: &str = "HUNTBOOK_HTTP_RETRIES";

/// How and where files are fetched. Build one with [`FetchConfig::from_env`] (what a notebook
/// wants) or [`FetchConfig::default`] plus the builder methods (what a test wants).
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// A mirror of every upstream, laid out like `shared/data`: `{mirror}/mitre-cti/...`,
    /// `{mirror}/attack-stix-data/...`. Replaces the public base URLs.
    pub mirror: Option<Location>,
    /// Per-upstream base URL overrides, by [`Upstream::name`]; win over `mirror`.
    pub bases: HashMap<String, Location>,
    /// Where remote files are cached.
    pub cache_dir: PathBuf,
    /// Never touch the network: remote files come from the cache or fail with
    /// [`Error::Offline`].
    pub offline: bool,
    /// Timeout of one HTTP request (connect plus body).
    pub timeout: Duration,
    /// Timeout to establish a connection.
    pub connect_timeout: Duration,
    /// Retries after the first attempt for transient faults (connection errors, timeouts,
    /// HTTP 429 and 5xx).
    pub retries: u32,
    /// Wait before the first retry; doubled for each further retry.
    pub backoff: Duration,
}

impl Default for FetchConfig {
    /// Public upstreams, the user's cache directory, online, 60 s timeout, 3 retries.
    fn default() -> Self {
        Self {
            mirror: None,
            bases: HashMap::new(),
            cache_dir: default_cache_dir(),
            offline: false,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// `$XDG_CACHE_HOME/huntbook` or its platform equivalent, falling back to a temp directory.
pub fn default_cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("huntbook")
}

fn env_flag(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

impl FetchConfig {
    /// Defaults overridden by `HUNTBOOK_MIRROR`, `HUNTBOOK_CACHE_DIR`, `HUNTBOOK_OFFLINE`,
    /// `HUNTBOOK_HTTP_TIMEOUT` and `HUNTBOOK_HTTP_RETRIES`.
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`FetchConfig::from_env`], reading variables through `get` (for tests).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let mut config = Self::default();
        if let Some(mirror) = get(ENV_MIRROR).filter(|v| !v.trim().is_empty()) {
            config.mirror = Some(Location::parse(&mirror)?);
        }
        if let Some(dir) = get(ENV_CACHE_DIR).filter(|v| !v.trim().is_empty()) {
            config.cache_dir = PathBuf::from(dir);
        }
        if let Some(offline) = get(ENV_OFFLINE) {
            config.offline = env_flag(&offline);
        }
        if let Some(secs) = get(ENV_TIMEOUT) {
            let secs: f64 = secs.trim().parse().map_err(|_| Error::InvalidLocation {
                input: secs.clone(),
                reason: format!("{ENV_TIMEOUT} must be a number of seconds"),
            })?;
            config.timeout = Duration::from_secs_f64(secs.max(0.001));
        }
        if let Some(retries) = get(ENV_RETRIES) {
            config.retries = retries.trim().parse().map_err(|_| Error::InvalidLocation {
                input: retries.clone(),
                reason: format!("{ENV_RETRIES} must be a whole number"),
            })?;
        }
        Ok(config)
    }

    /// Sets the mirror.
    pub fn with_mirror(mut self, mirror: Location) -> Self {
        self.mirror = Some(mirror);
        self
    }

    /// Overrides the base URL of one upstream.
    pub fn with_base(mut self, upstream: &Upstream, base: Location) -> Self {
        self.bases.insert(upstream.name.to_string(), base);
        self
    }

    /// Sets the cache directory.
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = dir.into();
        self
    }

    /// Turns offline mode on or off.
    pub fn with_offline(mut self, offline: bool) -> Self {
        self.offline = offline;
        self
    }

    /// Sets the request timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry count and the first backoff delay.
    pub fn with_retries(mut self, retries: u32, backoff: Duration) -> Self {
        self.retries = retries;
        self.backoff = backoff;
        self
    }

    /// The base URL in force for `upstream`: an explicit override, else the mirror's folder,
    /// else the public URL.
    pub fn base(&self, upstream: &Upstream) -> Result<Location> {
        if let Some(base) = self.bases.get(upstream.name) {
            return Ok(base.clone());
        }
        match &self.mirror {
            Some(mirror) => mirror.child(upstream.name),
            None => Location::parse(upstream.base),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MITRE_CTI;

    #[test]
    fn env_overrides_and_base_resolution() {
        let vars = |name: &str| match name {
            ENV_MIRROR => Some("/srv/mirror".to_string()),
            ENV_OFFLINE => Some("1".to_string()),
            ENV_CACHE_DIR => Some("/tmp/hb-cache".to_string()),
            ENV_RETRIES => Some("0".to_string()),
            _ => None,
        };
        let config = FetchConfig::from_vars(vars).unwrap();
        assert!(config.offline);
        assert_eq!(config.retries, 0);
        assert_eq!(config.cache_dir, PathBuf::from("/tmp/hb-cache"));
        assert_eq!(
            config.base(&MITRE_CTI).unwrap().url().as_str(),
            "file:///srv/mirror/mitre-cti/"
        );
        let config = config.with_base(
            &MITRE_CTI,
            Location::parse("http://127.0.0.1:1/x/").unwrap(),
        );
        assert_eq!(
            config.base(&MITRE_CTI).unwrap().url().as_str(),
            "http://127.0.0.1:1/x/"
        );
        assert_eq!(
            FetchConfig::default()
                .base(&MITRE_CTI)
                .unwrap()
                .url()
                .as_str(),
            MITRE_CTI.base
        );
    }

    #[test]
    fn bad_numbers_are_errors() {
        let err = FetchConfig::from_vars(|n| (n == ENV_RETRIES).then(|| "many".into()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("HUNTBOOK_HTTP_RETRIES"), "{err}");
    }
}
