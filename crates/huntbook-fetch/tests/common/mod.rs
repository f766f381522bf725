//! What the fetcher's test files share.

use std::time::Duration;

use huntbook_fetch::{FetchConfig, Fetcher, Location, Url};
use huntbook_testkit::Server;

/// A fetcher caching in `cache`, with two quick retries and a `timeout` per request.
pub fn fetcher(cache: &std::path::Path, timeout: Duration) -> Fetcher {
    Fetcher::new(
        FetchConfig::default()
            .with_cache_dir(cache)
            .with_retries(2, Duration::from_millis(10))
            .with_timeout(timeout),
    )
}

/// The URL of `path` on `server`.
pub fn url(server: &Server, path: &str) -> Url {
    Location::parse(&server.url()).unwrap().join(path).unwrap()
}
