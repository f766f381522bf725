//! The fetcher against loopback servers: cache, offline mode, retries and every fault.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

mod common;

use common::url;
use huntbook_fetch::{Error, FetchConfig, Fetcher, Freshness, Location, Origin};
use huntbook_testkit::{Reply, Server};

fn fetcher(cache: &std::path::Path) -> Fetcher {
    common::fetcher(cache, Duration::from_secs(5))
}

/// Files in the cache directory, digest files and temporaries included.
fn cache_files(dir: &std::path::Path) -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

#[test]
fn downloads_once_then_serves_the_cache_with_its_digest() {
    let server = Server::start(|_| Reply::json("{\"a\": 1}"));
    let cache = tempfile::tempdir().unwrap();
    let f = fetcher(cache.path());
    let u = url(&server, "dir/file.json");
    let (bytes, fetched) = f.read(&u, Freshness::Immutable).unwrap();
    assert_eq!(bytes, b"{\"a\": 1}");
    assert_eq!(fetched.origin, Origin::Network);
    assert_eq!(cache_files(cache.path()), ["file.json", "file.json.sha256"]);
    let (_, again) = f.read(&u, Freshness::Immutable).unwrap();
    assert_eq!(again.origin, Origin::Cache);
    assert_eq!(server.hits(), 1);
}

#[test]
fn offline_never_touches_the_network_and_names_what_is_missing() {
    let server = Server::start(|_| Reply::json("{}"));
    let cache = tempfile::tempdir().unwrap();
    let online = fetcher(cache.path());
    let u = url(&server, "cached.json");
    online.read(&u, Freshness::Immutable).unwrap();
    let offline = Fetcher::new(online.config().clone().with_offline(true));
    // Even content that must be revalidated comes from the cache when offline.
    let (_, fetched) = offline.read(&u, Freshness::Revalidate).unwrap();
    assert_eq!(fetched.origin, Origin::Cache);
    let missing = url(&server, "missing.json");
    let err = offline.read(&missing, Freshness::Immutable).unwrap_err();
    assert!(matches!(err, Error::Offline { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("missing.json") && text.contains("HUNTBOOK_OFFLINE"),
        "{text}"
    );
    assert_eq!(server.hits(), 1);
}

#[test]
fn http_404_is_not_retried_and_names_the_url() {
    let server = Server::start(|_| Reply::not_found());
    let cache = tempfile::tempdir().unwrap();
    let err = fetcher(cache.path())
        .read(&url(&server, "nope.json"), Freshness::Immutable)
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("nope.json"), "{err}");
    assert!(err.to_string().contains("404"), "{err}");
    assert_eq!(server.hits(), 1);
    assert!(cache_files(cache.path()).is_empty());
}

#[test]
fn http_500_is_retried_with_backoff_then_succeeds() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = Server::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) < 2 {
            Reply::status(500, "text/plain", "boom")
        } else {
            Reply::json("ok")
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let (bytes, _) = fetcher(cache.path())
        .read(&url(&server, "flaky.json"), Freshness::Immutable)
        .unwrap();
    assert_eq!(bytes, b"ok");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn http_500_that_persists_is_an_error_with_the_body() {
    let server = Server::start(|_| Reply::status(500, "text/plain", "database on fire"));
    let cache = tempfile::tempdir().unwrap();
    let err = fetcher(cache.path())
        .read(&url(&server, "x.json"), Freshness::Immutable)
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("HTTP 500") && text.contains("database on fire"),
        "{text}"
    );
    assert_eq!(server.hits(), 3, "one try and two retries");
    assert!(cache_files(cache.path()).is_empty());
}

#[test]
fn truncated_download_leaves_no_half_file() {
    let server = Server::start(|_| Reply::Truncated {
        declared: 1000,
        body: vec![b'{'; 300],
    });
    let cache = tempfile::tempdir().unwrap();
    let err = fetcher(cache.path())
        .read(&url(&server, "big.json"), Freshness::Immutable)
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("big.json"), "{text}");
    assert!(
        matches!(err, Error::Network { .. } | Error::Truncated { .. }),
        "{err:?}"
    );
    assert!(
        cache_files(cache.path()).is_empty(),
        "{:?}",
        cache_files(cache.path())
    );
}

#[test]
fn timeout_is_an_error_naming_the_url() {
    let server = Server::start(|_| Reply::Hang(Duration::from_secs(3)));
    let cache = tempfile::tempdir().unwrap();
    let f = Fetcher::new(
        FetchConfig::default()
            .with_cache_dir(cache.path())
            .with_retries(1, Duration::from_millis(10))
            .with_timeout(Duration::from_millis(300)),
    );
    let err = f
        .read(&url(&server, "slow.json"), Freshness::Immutable)
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("slow.json") && text.contains("2 attempt"),
        "{text}"
    );
    assert!(text.to_lowercase().contains("timed out"), "{text}");
}

#[test]
fn corrupt_cache_is_refetched_online_and_refused_offline() {
    let server = Server::start(|_| Reply::json("fresh"));
    let cache = tempfile::tempdir().unwrap();
    let f = fetcher(cache.path());
    let u = url(&server, "c.json");
    let fetched = f.fetch(&u, Freshness::Immutable).unwrap();
    std::fs::write(&fetched.path, "tampered").unwrap();
    let offline = Fetcher::new(f.config().clone().with_offline(true));
    let err = offline.read(&u, Freshness::Immutable).unwrap_err();
    assert!(matches!(err, Error::CacheCorrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("c.json"), "{err}");
    let (bytes, fetched) = f.read(&u, Freshness::Immutable).unwrap();
    assert_eq!(bytes, b"fresh");
    assert_eq!(fetched.origin, Origin::Network);
}

#[test]
fn revalidated_content_falls_back_to_the_cache_when_the_network_fails() {
    let up = Arc::new(AtomicUsize::new(1));
    let state = up.clone();
    let server = Server::start(move |_| {
        if state.load(Ordering::SeqCst) == 1 {
            Reply::json("v1")
        } else {
            Reply::status(503, "text/plain", "down")
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let f = fetcher(cache.path());
    let u = url(&server, "index.json");
    f.read(&u, Freshness::Revalidate).unwrap();
    up.store(0, Ordering::SeqCst);
    let (bytes, fetched) = f.read(&u, Freshness::Revalidate).unwrap();
    assert_eq!(bytes, b"v1");
    assert_eq!(fetched.origin, Origin::StaleCache);
    assert!(fetched.stale_because.unwrap().contains("503"));
}

#[test]
fn file_urls_are_read_in_place_and_missing_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "{}").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let f = fetcher(cache.path());
    let base = Location::from_dir(dir.path()).unwrap();
    let fetched = f
        .fetch(&base.join("a.json").unwrap(), Freshness::Immutable)
        .unwrap();
    assert_eq!(fetched.origin, Origin::Local);
    assert!(cache_files(cache.path()).is_empty());
    let err = f
        .fetch(&base.join("b.json").unwrap(), Freshness::Immutable)
        .unwrap_err();
    assert!(err.is_not_found());
    assert!(err.to_string().contains("b.json"), "{err}");
}
