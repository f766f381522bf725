//! Every source through the same loader: the mirror as `file://`, the mirror served over
//! HTTP on loopback (cache, offline), STIX 2.1 with "latest" from the index, a TAXII 2.1
//! server started here, and the faults of each.

mod common;

use std::sync::Arc;
use std::time::Duration;

use huntbook_attack::{
    Attack, AttackLoader, Domain, Error, FetchConfig, FileSource, Location, ObjectStatus, Source,
};
use huntbook_fetch::{ATTACK_TAXII, MITRE_CTI};
use huntbook_testkit::{Reply, Server};
use serde_json::{json, Value};

fn http_mirror_config(server: &Server, cache: &std::path::Path) -> FetchConfig {
    FetchConfig::default()
        .with_mirror(Location::parse(&server.url()).unwrap())
        .with_cache_dir(cache)
        .with_retries(1, Duration::from_millis(10))
        .with_timeout(Duration::from_secs(20))
}

fn active_ids(attack: &Attack) -> Vec<String> {
    let mut ids: Vec<String> = attack
        .techniques_with(ObjectStatus::All)
        .iter()
        .map(|t| t.id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn http_mirror_is_cached_then_loads_offline() {
    huntbook_testkit::mirror_or_skip!();
    let server = Server::serve_dir(common::mirror_dir());
    let cache = tempfile::tempdir().unwrap();
    let loader = AttackLoader::new(http_mirror_config(&server, cache.path()))
        .release("9.0")
        .domains([Domain::Ics, Domain::Mobile]);
    let online = loader.load().unwrap();
    assert_eq!(server.hits(), 2);
    assert!(
        online.origins()[0].starts_with("http://127.0.0.1"),
        "{:?}",
        online.origins()
    );
    // The load tells where each file came from, and how long it took.
    let sources = |attack: &Attack| -> Vec<FileSource> {
        let report = attack.load_report().expect("a loader's load has a report");
        report.files.iter().map(|f| f.source).collect()
    };
    assert_eq!(sources(&online), [FileSource::MirrorNetwork; 2]);
    let report = online.load_report().unwrap().to_string();
    assert!(
        report.starts_with("ATT&CK 9.0 loaded in ")
            && report.contains(" s from 2 files:\n  mirror (downloaded)  http://127.0.0.1"),
        "{report}"
    );

    let from_files = common::mirror_loader(cache.path(), "9.0")
        .domains([Domain::Ics, Domain::Mobile])
        .load()
        .unwrap();
    assert_eq!(active_ids(&online), active_ids(&from_files));
    assert_eq!(sources(&from_files), [FileSource::Mirror; 2]);

    // Offline: the pinned release comes from the cache, without a request.
    let offline = loader
        .clone()
        .fetch_config(loader.config().clone().with_offline(true))
        .load()
        .unwrap();
    assert_eq!(server.hits(), 2);
    assert_eq!(active_ids(&offline), active_ids(&online));
    assert_eq!(sources(&offline), [FileSource::Cache; 2]);

    // Offline with a release never fetched: a clear error naming the file.
    let err = loader
        .clone()
        .fetch_config(loader.config().clone().with_offline(true))
        .release("15.1")
        .load()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HUNTBOOK_OFFLINE") && err.contains("ATT%26CK-v15.1/ics-attack"),
        "{err}"
    );
}

#[test]
fn latest_resolves_through_the_index_and_stix21_matches_stix20() {
    huntbook_testkit::mirror_or_skip!();
    let cache = tempfile::tempdir().unwrap();
    let loader = AttackLoader::new(common::mirror_config(cache.path()));
    assert_eq!(loader.resolve_release().unwrap(), "18.1");
    let index = loader.release_index().unwrap();
    assert!(index.releases(Domain::Ics).contains(&"9.0".to_string()));

    let stix21 = loader
        .clone()
        .source(Source::AttackStixData)
        .domains([Domain::Ics])
        .load()
        .unwrap();
    assert_eq!(stix21.release(), Some("18.1"));
    let stix20 = loader
        .clone()
        .release("18.1")
        .domains([Domain::Ics])
        .load()
        .unwrap();
    assert_eq!(active_ids(&stix21), active_ids(&stix20));
    assert!(stix21.techniques()[0].spec_version.as_deref() == Some("2.1"));

    let mobile21 = loader
        .clone()
        .source(Source::AttackStixData)
        .release("9.0")
        .domains([Domain::Mobile])
        .load()
        .unwrap();
    let mobile20 = loader
        .clone()
        .release("9.0")
        .domains([Domain::Mobile])
        .load()
        .unwrap();
    assert_eq!(active_ids(&mobile21), active_ids(&mobile20));

    let err = loader
        .clone()
        .source(Source::AttackStixData)
        .domains([Domain::Pre])
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("PRE-ATT&CK"), "{err}");
}

#[test]
fn unknown_release_lists_the_published_ones() {
    huntbook_testkit::mirror_or_skip!();
    let cache = tempfile::tempdir().unwrap();
    let err = common::mirror_loader(cache.path(), "99.0")
        .domains([Domain::Ics])
        .load()
        .unwrap_err();
    assert!(matches!(err, Error::UnknownRelease { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("\"99.0\"") && text.contains("18.1, 18.0"),
        "{text}"
    );
    assert!(huntbook_attack::Release::parse("v.x").is_err());
}

#[test]
fn http_errors_and_truncated_downloads_through_the_loader() {
    huntbook_testkit::mirror_or_skip!();
    let server = Server::start(|request| {
        if request.path.contains("ics-attack") {
            Reply::Truncated {
                declared: 10_000,
                body: b"{\"type\": \"bundle\", \"objects\": [".to_vec(),
            }
        } else {
            Reply::status(500, "text/plain", "upstream exploded")
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let config = http_mirror_config(&server, cache.path());
    let loader = AttackLoader::new(config).release("9.0");
    let err = loader
        .clone()
        .domains([Domain::Mobile])
        .load()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 500") && err.contains("mobile-attack.json"),
        "{err}"
    );
    let err = loader
        .clone()
        .domains([Domain::Ics])
        .load()
        .unwrap_err()
        .to_string();
    assert!(err.contains("ics-attack.json"), "{err}");
    // Nothing half-written stayed in the cache.
    let leftovers: Vec<_> = walk(cache.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A TAXII 2.1 server over bundles of the mirror, paging at most `page` objects.
fn taxii_server(
    collections: Vec<(&'static str, &'static str, std::path::PathBuf)>,
    page: usize,
) -> Server {
    let data: Vec<(String, String, Arc<Vec<Value>>)> = collections
        .into_iter()
        .map(|(id, title, path)| {
            let bundle: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            let objects = bundle["objects"].as_array().unwrap().clone();
            (id.to_string(), title.to_string(), Arc::new(objects))
        })
        .collect();
    Server::start(move |request| {
        const MEDIA: &str = "application/taxii+json;version=2.1";
        if request.header("accept") != Some(MEDIA) {
            return Reply::status(406, MEDIA, json!({"title": "Not Acceptable"}).to_string());
        }
        let reply = |v: Value| Reply::status(200, MEDIA, v.to_string());
        match request.path.as_str() {
            "/taxii2/" => {
                reply(json!({"title": "test", "api_roots": ["/api/v21/"], "default": "/api/v21/"}))
            }
            "/api/v21/" => reply(json!({"title": "ATT&CK", "versions": [MEDIA]})),
            "/api/v21/collections/" => {
                reply(json!({"collections": data.iter().map(|(id, title, _)|
                json!({"id": id, "title": title, "can_read": true, "can_write": false})).collect::<Vec<_>>()}))
            }
            path => {
                let Some((_, _, objects)) = data
                    .iter()
                    .find(|(id, _, _)| path == format!("/api/v21/collections/{id}/objects/"))
                else {
                    return Reply::status(
                        404,
                        MEDIA,
                        json!({"title": "Collection not found", "description": path}).to_string(),
                    );
                };
                let limit: usize = request
                    .query_param("limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(page)
                    .min(page);
                let start: usize = request
                    .query_param("next")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let end = (start + limit).min(objects.len());
                let mut envelope =
                    json!({"more": end < objects.len(), "objects": objects[start..end]});
                if end < objects.len() {
                    envelope["next"] = json!(end.to_string());
                }
                reply(envelope)
            }
        }
    })
}

#[test]
fn taxii_server_with_paging_gives_the_same_objects_as_the_files() {
    huntbook_testkit::mirror_or_skip!();
    let ics = common::mirror_file("attack-stix-data/master/ics-attack/ics-attack-18.1.json");
    let mobile = common::mirror_file("mitre-cti/ATT&CK-v18.1/mobile-attack/mobile-attack.json");
    let server = taxii_server(
        vec![
            (
                "x-mitre-collection--90c00720-636b-4485-b342-8751d232bf09",
                "ICS ATT&CK",
                ics.clone(),
            ),
            (
                "x-mitre-collection--dac0d2d7-8653-445c-9bff-82f934c1e858",
                "Mobile ATT&CK",
                mobile.clone(),
            ),
        ],
        700,
    );
    let cache = tempfile::tempdir().unwrap();
    // The discovery endpoint, as MITRE publishes it.
    let base = Location::parse(&format!("{}taxii2/", server.url())).unwrap();
    let config = FetchConfig::default()
        .with_cache_dir(cache.path())
        .with_base(&ATTACK_TAXII, base);
    let loader = AttackLoader::new(config)
        .source(Source::Taxii)
        .domains([Domain::Ics, Domain::Mobile]);
    let hits_before = server.hits();
    let attack = loader.load().unwrap();
    assert!(
        server.hits() - hits_before > 6,
        "paging should take several requests"
    );
    assert_eq!(attack.release(), Some("18.1"));
    let files = Attack::from_bundles([
        (
            huntbook_attack::Bundle::from_path(&ics).unwrap(),
            Some(Domain::Ics),
        ),
        (
            huntbook_attack::Bundle::from_path(&mobile).unwrap(),
            Some(Domain::Mobile),
        ),
    ]);
    assert_eq!(active_ids(&attack), active_ids(&files));
    assert_eq!(attack.relationships().len(), files.relationships().len());
    assert_eq!(attack.len(), files.len());

    // A pinned release the server does not serve.
    let err = loader
        .clone()
        .release("9.0")
        .load()
        .unwrap_err()
        .to_string();
    assert!(err.contains("serves release 18.1 only"), "{err}");
    // A domain the server does not have.
    let err = loader
        .clone()
        .domains([Domain::Enterprise])
        .load()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no collection for enterprise-attack") && err.contains("ICS ATT&CK"),
        "{err}"
    );
}

#[test]
fn taxii_error_replies_are_reported() {
    const MEDIA: &str = "application/taxii+json;version=2.1";
    let server = Server::start(|request| match request.path.as_str() {
        "/api/v21/" => Reply::status(200, MEDIA, r#"{"title": "ATT&CK"}"#),
        _ => Reply::status(
            401,
            MEDIA,
            r#"{"title": "Unauthorized", "description": "API key expired", "http_status": "401"}"#,
        ),
    });
    let cache = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_cache_dir(cache.path())
        .with_base(
            &ATTACK_TAXII,
            Location::parse(&format!("{}api/v21/", server.url())).unwrap(),
        );
    let err = AttackLoader::new(config)
        .source(Source::Taxii)
        .load()
        .unwrap_err();
    assert!(matches!(err, Error::Taxii { status: 401, .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("collections/") && text.contains("Unauthorized: API key expired"),
        "{text}"
    );
}

#[test]
fn a_not_json_reply_is_an_error_naming_the_url() {
    let server = Server::start(|_| Reply::status(200, "text/html", "<html>captive portal</html>"));
    let cache = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_cache_dir(cache.path())
        .with_base(&MITRE_CTI, Location::parse(&server.url()).unwrap());
    let err = AttackLoader::new(config)
        .release("9.0")
        .domains([Domain::Ics])
        .load()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTML") && err.contains("ics-attack.json"),
        "{err}"
    );
    // The reply that did not parse was not kept in the cache.
    assert!(walk(cache.path()).is_empty(), "{:?}", walk(cache.path()));
}

#[test]
fn offline_latest_without_a_cached_index_says_how_to_pin() {
    let cache = tempfile::tempdir().unwrap();
    // The public URLs, offline: nothing may be fetched.
    let config = FetchConfig::default()
        .with_cache_dir(cache.path())
        .with_offline(true);
    let err = AttackLoader::new(config).load().unwrap_err().to_string();
    assert!(
        err.contains("master/index.json") && err.contains("HUNTBOOK_ATTACK_RELEASE=18.1"),
        "{err}"
    );
}
