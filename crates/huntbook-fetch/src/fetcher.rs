//! The fetcher: local files in place, remote files through the cache, with retries.

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use url::Url;

use crate::cache::{self, Entry};
use crate::{Error, FetchConfig, Location, Result, Upstream};

/// How long a cached copy stays good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The URL names content that never changes (a pinned release file): a valid cached copy
    /// is used without asking the network.
    Immutable,
    /// The URL names content that changes (an index of releases): the network is asked
    /// first; the cached copy serves when offline or when the network fails.
    Revalidate,
}

/// Where the bytes of a [`Fetched`] file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A local file (`file://` base), read in place.
    Local,
    /// The cache, without a network request.
    Cache,
    /// The cache, because the network failed; the error is in [`Fetched::stale_because`].
    StaleCache,
    /// Downloaded now, and written to the cache.
    Network,
}

/// A file ready on local disk.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub url: Url,
    /// The local file holding its content.
    pub path: PathBuf,
    /// Where it came from.
    pub origin: Origin,
    /// When [`Origin::StaleCache`]: the network error that made the cache serve.
    pub stale_because: Option<String>,
}

impl Fetched {
    /// Reads the whole file.
    pub fn read(&self) -> Result<Vec<u8>> {
        std::fs::read(&self.path).map_err(|e| Error::io("failed to read", &self.path, e))
    }

    /// A name for error messages: the path for local files, else the URL.
    pub fn display_name(&self) -> String {
        match self.origin {
            Origin::Local => self.path.display().to_string(),
            _ => self.url.to_string(),
        }
    }
}

/// How far a download has got, as given to a [`Progress`] hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// The URL being downloaded.
    pub url: &'a Url,
    /// Bytes received so far.
    pub received: u64,
    /// The size the server announced, when it did.
    pub total: Option<u64>,
    /// Time since the download began.
    pub elapsed: Duration,
    /// True for the last call, once the file is complete.
    pub done: bool,
}

/// A hook called as a download progresses (after each chunk, and once when done).
pub type Progress = Arc<dyn Fn(&Transfer<'_>) + Send + Sync>;

/// A [`Progress`] hook for notebooks and terminals: for downloads that last more than a
/// second, writes a line to standard error at most every two seconds and one when done
/// (`downloading <url>: 48.0 of 115.2 MB (42%)`).
pub fn stderr_progress() -> Progress {
    let last = std::sync::Mutex::new(Duration::ZERO);
    Arc::new(move |t: &Transfer<'_>| {
        let Ok(mut last) = last.lock() else { return };
        let due =
            t.elapsed >= Duration::from_secs(1) && t.elapsed - *last >= Duration::from_secs(2);
        if !(due || (t.done && !last.is_zero())) {
            return;
        }
        *last = t.elapsed;
        let mb = |b: u64| b as f64 / 1e6;
        let amount = match t.total {
            Some(total) if total > 0 => format!(
                "{:.1} of {:.1} MB ({:.0}%)",
                mb(t.received),
                mb(total),
                100.0 * t.received as f64 / total as f64
            ),
            _ => format!("{:.1} MB", mb(t.received)),
        };
        let verb = if t.done { "downloaded" } else { "downloading" };
        eprintln!(
            "{verb} {}: {amount} in {:.0} s",
            t.url,
            t.elapsed.as_secs_f64()
        );
    })
}

/// Fetches files by URL under one [`FetchConfig`]. Cheap to share; the HTTP client is built
/// on first use.
pub struct Fetcher {
    config: FetchConfig,
    client: OnceLock<std::result::Result<reqwest::blocking::Client, String>>,
    progress: Option<Progress>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.config)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Clone for Fetcher {
    fn clone(&self) -> Self {
        Self {
            config: self.config.clone(),
            client: OnceLock::new(),
            progress: self.progress.clone(),
        }
    }
}

enum Failure {
    /// Worth another attempt.
    Transient(Error),
    /// Not worth another attempt.
    Fatal(Error),
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

impl Fetcher {
    /// A fetcher with these settings.
    pub fn new(config: FetchConfig) -> Self {
        Self {
            config,
            client: OnceLock::new(),
            progress: None,
        }
    }

    /// The same fetcher, reporting download progress to `progress` (see
    /// [`stderr_progress`]).
    pub fn with_progress(mut self, progress: Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// A fetcher configured from the `HUNTBOOK_*` environment variables.
    pub fn from_env() -> Result<Self> {
        Ok(Self::new(FetchConfig::from_env()?))
    }

    /// The settings in force.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// The base URL in force for an upstream.
    pub fn base(&self, upstream: &Upstream) -> Result<Location> {
        self.config.base(upstream)
    }

    /// Where the cached copy of `url` lives.
    pub fn cache_path(&self, url: &Url) -> PathBuf {
        cache::cache_path(&self.config.cache_dir, url)
    }

    fn client(&self, url: &Url) -> Result<&reqwest::blocking::Client> {
        let client = self.client.get_or_init(|| {
            reqwest::blocking::Client::builder()
                .timeout(self.config.timeout)
                .connect_timeout(self.config.connect_timeout)
                .user_agent(concat!("huntbook/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| error_chain(&e))
        });
        client.as_ref().map_err(|message| Error::Network {
            url: url.to_string(),
            attempts: 0,
            message: format!("cannot build the HTTP client: {message}"),
        })
    }

    /// Makes a file available on local disk: `file://` URLs in place, remote URLs through
    /// the cache (downloaded atomically and checked by SHA-256 on reuse).
    pub fn fetch(&self, url: &Url, freshness: Freshness) -> Result<Fetched> {
        if url.scheme() == "file" {
            let path = url.to_file_path().map_err(|()| Error::InvalidLocation {
                input: url.to_string(),
                reason: "not a local file path".into(),
            })?;
            return match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => Ok(Fetched {
                    url: url.clone(),
                    path,
                    origin: Origin::Local,
                    stale_because: None,
                }),
                Ok(_) => Err(Error::io(
                    "failed to read",
                    path,
                    std::io::Error::other("not a regular file"),
                )),
                Err(e) => Err(Error::io("failed to read", path, e)),
            };
        }
        let path = self.cache_path(url);
        let cached = match cache::check(&path)? {
            Entry::Valid => true,
            Entry::Missing => false,
            Entry::Corrupt(error) => {
                if self.config.offline {
                    return Err(error);
                }
                cache::remove(&path);
                false
            }
        };
        let from_cache = |origin, stale_because| Fetched {
            url: url.clone(),
            path: path.clone(),
            origin,
            stale_because,
        };
        if cached && (self.config.offline || freshness == Freshness::Immutable) {
            return Ok(from_cache(Origin::Cache, None));
        }
        if self.config.offline {
            return Err(Error::Offline {
                url: url.to_string(),
                cache_path: path,
            });
        }
        match self.download(url, &path) {
            Ok(()) => Ok(from_cache(Origin::Network, None)),
            Err(error) if cached && !error.is_not_found() => {
                Ok(from_cache(Origin::StaleCache, Some(error.to_string())))
            }
            Err(error) => Err(error),
        }
    }

    /// Fetches and reads a whole file (see [`Fetcher::fetch`]).
    pub fn read(&self, url: &Url, freshness: Freshness) -> Result<(Vec<u8>, Fetched)> {
        let fetched = self.fetch(url, freshness)?;
        Ok((fetched.read()?, fetched))
    }

    /// GETs a URL without caching, with retries, sending `accept` as the `Accept` header.
    /// For APIs (TAXII) rather than files. Offline mode refuses it.
    pub fn get_bytes(&self, url: &Url, accept: Option<&str>) -> Result<Vec<u8>> {
        if url.scheme() == "file" {
            return self.fetch(url, Freshness::Immutable)?.read();
        }
        if self.config.offline {
            return Err(Error::Offline {
                url: url.to_string(),
                cache_path: self.cache_path(url),
            });
        }
        self.with_retries(url, |_| {
            let mut response = self.send(url, accept)?;
            let mut body = Vec::new();
            response
                .read_to_end(&mut body)
                .map_err(|e| Failure::Transient(self.network_error(url, 1, &e)))?;
            Ok(body)
        })
    }

    fn download(&self, url: &Url, path: &std::path::Path) -> Result<()> {
        self.with_retries(url, |_| {
            let mut response = self.send(url, None)?;
            let expected = response.content_length();
            let mut writer = cache::Writer::create(path).map_err(Failure::Fatal)?;
            let mut buf = vec![0u8; 1 << 16];
            let began = Instant::now();
            let report = |received, done| {
                if let Some(progress) = &self.progress {
                    progress(&Transfer {
                        url,
                        received,
                        total: expected,
                        elapsed: began.elapsed(),
                        done,
                    });
                }
            };
            loop {
                let n = response
                    .read(&mut buf)
                    .map_err(|e| Failure::Transient(self.network_error(url, 1, &e)))?;
                if n == 0 {
                    break;
                }
                writer.write(&buf[..n]).map_err(Failure::Fatal)?;
                report(writer.written(), false);
            }
            if let Some(expected) = expected {
                if writer.written() != expected {
                    return Err(Failure::Transient(Error::Truncated {
                        url: url.to_string(),
                        expected,
                        received: writer.written(),
                    }));
                }
            }
            let received = writer.written();
            writer.commit().map_err(Failure::Fatal)?;
            report(received, true);
            Ok(())
        })
    }

    fn network_error(&self, url: &Url, attempts: u32, error: &dyn std::error::Error) -> Error {
        // reqwest names the URL in its message too ("error sending request for url (...)"):
        // the message names it once, first.
        Error::Network {
            url: url.to_string(),
            attempts,
            message: error_chain(error).replace(&format!(" for url ({url})"), ""),
        }
    }

    fn send(
        &self,
        url: &Url,
        accept: Option<&str>,
    ) -> std::result::Result<reqwest::blocking::Response, Failure> {
        let client = self.client(url).map_err(Failure::Fatal)?;
        let mut request = client.get(url.clone());
        if let Some(accept) = accept {
            request = request.header(reqwest::header::ACCEPT, accept);
        }
        let response = request
            .send()
            .map_err(|e| Failure::Transient(self.network_error(url, 1, &e)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let mut detail = String::new();
        let _ = response.take(4096).read_to_string(&mut detail);
        let detail = detail.trim();
        let error = Error::Http {
            url: url.to_string(),
            status: status.as_u16(),
            detail: (!detail.is_empty()).then(|| detail.to_string()),
        };
        if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            Err(Failure::Transient(error))
        } else {
            Err(Failure::Fatal(error))
        }
    }

    fn with_retries<T>(
        &self,
        url: &Url,
        mut attempt: impl FnMut(u32) -> std::result::Result<T, Failure>,
    ) -> Result<T> {
        let attempts = self.config.retries.saturating_add(1);
        let mut delay = self.config.backoff;
        for n in 1..=attempts {
            match attempt(n) {
                Ok(value) => return Ok(value),
                Err(Failure::Fatal(error)) => return Err(error),
                Err(Failure::Transient(error)) if n == attempts => {
                    return Err(match error {
                        Error::Network { message, .. } => Error::Network {
                            url: url.to_string(),
                            attempts: n,
                            message,
                        },
                        other => other,
                    })
                }
                Err(Failure::Transient(_)) => {
                    std::thread::sleep(delay);
                    delay = delay.saturating_mul(2).min(Duration::from_secs(30));
                }
            }
        }
        unreachable!("the loop returns on its last attempt")
    }
}
