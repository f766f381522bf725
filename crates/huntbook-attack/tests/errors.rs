//! Every error class of the crate, caused through the API where it can be here, with the
//! whole message a notebook prints (evcxr prints an error returned with `?` by `Display`).

use std::time::Duration;

use huntbook_attack::{
    Attack, AttackLoader, Bundle, Error, FetchConfig, Location, Release, Source,
};
use huntbook_fetch::{ATTACK_TAXII, MITRE_CTI};
use huntbook_testkit::{Reply, Server};

fn message(result: Result<impl std::fmt::Debug, Error>) -> String {
    result.expect_err("an error").to_string()
}

#[test]
fn json_faults_name_the_file_and_the_place_once() {
    assert_eq!(
        message(Bundle::from_slice(
            b"{\"type\": \"bundle\",\n  \"objects\": [1,]}",
            "enterprise-attack.json"
        )),
        "failed to read STIX bundle enterprise-attack.json: line 2, column 15: invalid type: \
         integer `1`, expected a STIX object (a JSON object with \"type\" and \"id\")"
    );
}

#[test]
fn what_is_not_a_bundle_is_described() {
    assert_eq!(
        message(Bundle::from_slice(
            b"<html>rate limited</html>",
            "https://x/a.json"
        )),
        "https://x/a.json is not a STIX bundle: it looks like HTML or XML, not JSON"
    );
    assert_eq!(
        message(Bundle::from_slice(
            br#"{"type": "bundle", "objects": [{"type": "attack-pattern"}]}"#,
            "a.json"
        )),
        "a.json is not a STIX bundle: objects[0] has no \"id\" (type \"attack-pattern\")"
    );
}

#[test]
fn a_path_that_cannot_be_read_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let text = message(Bundle::from_path(&missing));
    assert!(
        text.starts_with(&format!(
            "failed to read STIX bundle {}: ",
            missing.display()
        )),
        "{text}"
    );
}

#[test]
fn a_lookup_that_finds_nothing_says_what_was_asked() {
    assert_eq!(
        message(Attack::new().technique("T9999")),
        "no ATT&CK technique matches \"T9999\""
    );
}

#[test]
fn an_invalid_release_says_why() {
    assert_eq!(
        message(Release::parse("v.x")),
        "invalid ATT&CK release \"v.x\": expected \"latest\" or a version like \"18.1\""
    );
}

#[test]
fn a_release_not_published_lists_the_ones_that_are() {
    // A mirror holding one release of the MITRE/CTI layout, served on loopback.
    let server = Server::start(|request| match request.path.as_str() {
        "/enterprise-attack/enterprise-attack-9.0.json" => Reply::status(
            200,
            "application/json",
            r#"{"type": "bundle", "objects": []}"#,
        ),
        _ => Reply::status(404, "text/plain", "not found"),
    });
    let cache = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_cache_dir(cache.path())
        .with_retries(1, Duration::from_millis(10))
        .with_base(&MITRE_CTI, Location::parse(&server.url()).unwrap());
    let text = message(
        AttackLoader::new(config)
            .source(Source::MitreCti)
            .release("99.0")
            .load(),
    );
    assert_eq!(
        text,
        format!(
            "unknown ATT&CK release \"99.0\" for enterprise-attack \
             ({}ATT%26CK-v99.0/enterprise-attack/enterprise-attack.json): \
             the release file does not exist",
            server.url()
        )
    );
}

#[test]
fn taxii_faults_name_the_url() {
    const MEDIA: &str = "application/taxii+json;version=2.1";
    let server = Server::start(|request| match request.path.as_str() {
        "/api/v21/" => Reply::status(200, MEDIA, r#"{"title": "ATT&CK"}"#),
        "/api/v21/collections/" => Reply::status(200, MEDIA, "[]"),
        _ => Reply::status(
            403,
            MEDIA,
            r#"{"title": "Forbidden", "description": "no access", "http_status": "403"}"#,
        ),
    });
    let cache = tempfile::tempdir().unwrap();
    let config = FetchConfig::default()
        .with_cache_dir(cache.path())
        .with_base(
            &ATTACK_TAXII,
            Location::parse(&format!("{}api/v21/", server.url())).unwrap(),
        );
    let text = message(AttackLoader::new(config).source(Source::Taxii).load());
    assert_eq!(
        text,
        format!(
            "unexpected TAXII reply from {}api/v21/: no collection for enterprise-attack; \
             the server offers none",
            server.url()
        )
    );
}
