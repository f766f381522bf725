//! Every error class of the crate, caused through the API against loopback servers, with the
//! whole message a notebook prints (evcxr prints an error returned with `?` by `Display`).

use std::time::Duration;

mod common;

use common::url;
use huntbook_fetch::{Error, FetchConfig, Fetcher, Freshness, Location, Url};
use huntbook_testkit::{Reply, Server};

fn fetcher(cache: &std::path::Path) -> Fetcher {
    common::fetcher(cache, Duration::from_millis(500))
}

fn message(fetcher: &Fetcher, url: &Url) -> String {
    fetcher
        .read(url, Freshness::Immutable)
        .expect_err("an error")
        .to_string()
}

#[test]
fn an_http_status_names_the_url() {
    let server = Server::start(|_| Reply::status(404, "text/plain", "Not Found"));
    let cache = tempfile::tempdir().unwrap();
    let u = url(&server, "enterprise-attack/enterprise-attack-99.0.json");
    assert_eq!(
        message(&fetcher(cache.path()), &u),
        format!("GET {u} failed: HTTP 404: Not Found")
    );
}

#[test]
fn a_server_that_never_answers_names_the_url_and_the_attempts() {
    let server = Server::start(|_| Reply::Hang(Duration::from_secs(3)));
    let cache = tempfile::tempdir().unwrap();
    let u = url(&server, "slow.json");
    assert_eq!(
        message(&fetcher(cache.path()), &u),
        format!("GET {u} failed after 3 attempt(s): error sending request: operation timed out")
    );
}

#[test]
fn a_cut_download_says_how_much_came() {
    // reqwest notices the cut itself when the length is declared.
    let server = Server::start(|_| Reply::Truncated {
        declared: 100,
        body: b"{\"a\":".to_vec(),
    });
    let cache = tempfile::tempdir().unwrap();
    let u = url(&server, "cut.json");
    assert_eq!(
        message(&fetcher(cache.path()), &u),
        format!(
            "GET {u} failed after 3 attempt(s): request or response body error: \
             error reading a body from connection: end of file before message length reached"
        )
    );
    // huntbook's own check, for a body shorter than declared that the client let through.
    let cut = Error::Truncated {
        url: u.to_string(),
        received: 5,
        expected: 100,
    };
    assert_eq!(
        cut.to_string(),
        format!("GET {u}: download truncated, received 5 of 100 bytes")
    );
}

#[test]
fn offline_names_the_url_and_the_cache_path() {
    let cache = tempfile::tempdir().unwrap();
    let f = Fetcher::new(
        FetchConfig::default()
            .with_cache_dir(cache.path())
            .with_offline(true),
    );
    let u = Url::parse("https://example.org/a/b.json").unwrap();
    let text = message(&f, &u);
    assert!(
        text.starts_with("offline (HUNTBOOK_OFFLINE=1): https://example.org/a/b.json is not in the cache (looked for "),
        "{text}"
    );
    assert!(
        text.ends_with("); run once online, or point HUNTBOOK_MIRROR at a local copy"),
        "{text}"
    );
}

#[test]
fn a_tampered_cache_file_is_named_with_both_digests() {
    let server = Server::start(|_| Reply::json("{\"a\": 1}"));
    let cache = tempfile::tempdir().unwrap();
    let f = fetcher(cache.path());
    let u = url(&server, "file.json");
    let (_, fetched) = f.read(&u, Freshness::Immutable).unwrap();
    std::fs::write(&fetched.path, "tampered").unwrap();
    let offline = Fetcher::new(f.config().clone().with_offline(true));
    let text = message(&offline, &u);
    assert!(
        text.starts_with(&format!(
            "cached file {} is corrupt: SHA-256 ",
            fetched.path.display()
        )),
        "{text}"
    );
    assert!(text.contains(" does not match the recorded "), "{text}");
}

#[test]
fn a_missing_local_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("enterprise-attack.json");
    let u = Url::from_file_path(&missing).unwrap();
    let text = message(&fetcher(dir.path()), &u);
    assert!(text.contains(&missing.display().to_string()), "{text}");
}

#[test]
fn an_invalid_location_says_why() {
    let error: Error = Location::parse("ftp://example.org/").unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("invalid location \"ftp://example.org/\": "),
        "{text}"
    );
}
