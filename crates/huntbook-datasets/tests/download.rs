//! Downloads: a link resolved against the mirror, fetched from a loopback server with
//! progress, cached, extracted once and read; and what bad downloads leave (nothing).

mod common;

use std::fs;
use std::path::Path;
use std::sync::{Arc, Mutex};

use huntbook_datasets::{Catalogue, Dataset, DatasetFile, Datasets, Error};
use huntbook_fetch::{FetchConfig, Fetcher, Location, Transfer};
use huntbook_testkit::Server;

const LINK: &str = "https://raw.githubusercontent.com/OTRF/Security-Datasets/master/datasets/atomic/windows/lateral_movement/host/tiny.zip";
const EVENTS: &[u8] = b"{\"EventID\":4624,\"Channel\":\"Security\",\"LogonType\":\"3\"}\r\n{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\wsmprovhost.exe\"}\r\n";

fn write_mirror(root: &Path) {
    let dir = root.join("security-datasets/master/datasets/atomic/windows/lateral_movement/host");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("tiny.zip"),
        common::zip_bytes(&[("__MACOSX/._tiny.json", b"junk"), ("tiny.json", EVENTS)]),
    )
    .unwrap();
    fs::write(
        dir.join("broken.zip"),
        b"PK\x03\x04 this is not a zip file at all",
    )
    .unwrap();
}

/// Progress calls seen: (bytes received, done).
type Seen = Arc<Mutex<Vec<(u64, bool)>>>;

fn datasets(server: &Server, cache: &Path, offline: bool) -> (Datasets, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let config = FetchConfig::default()
        .with_mirror(Location::parse(&server.url()).unwrap())
        .with_cache_dir(cache)
        .with_offline(offline);
    let fetcher = Fetcher::new(config).with_progress(Arc::new(move |t: &Transfer<'_>| {
        log.lock().unwrap().push((t.received, t.done));
    }));
    (Datasets::new(fetcher), seen)
}

#[test]
fn a_link_is_downloaded_with_progress_extracted_once_and_read() {
    let dir = tempfile::tempdir().unwrap();
    write_mirror(dir.path());
    let server = Server::serve_dir(dir.path());
    let cache = dir.path().join("cache");
    let (online, progress) = datasets(&server, &cache, false);

    let first = online.download(LINK).unwrap();
    assert!(
        first.url.as_str().starts_with(&server.url()),
        "{}",
        first.url
    );
    assert!(first.path.starts_with(&cache));
    assert_eq!(first.files.len(), 1, "{:?}", first.files);
    assert!(first.files[0].ends_with("tiny.json"));
    assert_eq!(first.truncated, None);
    let progress = progress.lock().unwrap().clone();
    assert_eq!(
        progress.last(),
        Some(&(fs::metadata(&first.path).unwrap().len(), true))
    );

    let events = first.events().unwrap();
    assert_eq!(events.shape(), (2, 4));
    assert_eq!(
        events.column("LogonType").unwrap().dtype(),
        &polars::prelude::DataType::Float64,
        "a numeric string with gaps is a float, as pandas reads it"
    );

    // Offline, the second download is the cache: same files, no request.
    let hits = server.hits();
    let (offline, _) = datasets(&server, &cache, true);
    let again = offline.download(LINK).unwrap();
    assert_eq!(again.files, first.files);
    assert_eq!(server.hits(), hits);
}

#[test]
fn a_dataset_is_loaded_by_id_from_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    write_mirror(dir.path());
    let server = Server::serve_dir(dir.path());
    let (online, _) = datasets(&server, &dir.path().join("cache"), false);
    let catalogue = Catalogue::from_datasets(vec![Dataset {
        id: "SDWIN-1".into(),
        title: "Tiny".into(),
        description: None,
        platform: vec!["Windows".into()],
        kind: "atomic".into(),
        tags: vec![],
        creation_date: None,
        modification_date: None,
        contributors: vec![],
        attack_mappings: vec![],
        files: vec![DatasetFile {
            kind: "Host".into(),
            link: LINK.into(),
        }],
        source: "tiny.yaml".into(),
    }]);
    assert_eq!(online.load(&catalogue, "sdwin-1").unwrap().height(), 2);
    let unknown = online.load(&catalogue, "SDWIN-404").unwrap_err();
    assert!(matches!(unknown, Error::UnknownDataset { .. }));
    assert!(unknown.to_string().contains("SDWIN-404"), "{unknown}");
}

#[test]
fn bad_downloads_name_the_url_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    write_mirror(dir.path());
    let server = Server::serve_dir(dir.path());
    let cache = dir.path().join("cache");
    let (online, _) = datasets(&server, &cache, false);

    let missing = online
        .download(&LINK.replace("tiny.zip", "missing.zip"))
        .unwrap_err();
    assert!(missing.to_string().contains("missing.zip"), "{missing}");

    let broken = online
        .download(&LINK.replace("tiny.zip", "broken.zip"))
        .unwrap_err();
    assert!(matches!(broken, Error::Archive { .. }), "{broken}");
    assert!(broken.to_string().contains("broken.zip"), "{broken}");
    let extracted: Vec<_> = walk(&cache.join("extracted"));
    assert!(
        extracted
            .iter()
            .all(|p| !p.to_string_lossy().contains("broken")),
        "a failed extraction left {extracted:?}"
    );
    let partial: Vec<_> = walk(&cache)
        .into_iter()
        .filter(|p| {
            p.to_string_lossy().contains(".partial-")
                || p.to_string_lossy().contains(".extracting-")
        })
        .collect();
    assert!(partial.is_empty(), "{partial:?}");

    let not_a_url = online.download("no such thing").unwrap_err();
    assert!(
        not_a_url.to_string().contains("no such thing"),
        "{not_a_url}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            }
            out.push(path);
        }
    }
    out
}
