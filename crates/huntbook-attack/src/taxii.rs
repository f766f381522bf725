//! TAXII 2.1 client: discovery, collections, and paged object retrieval.
//!
//! MITRE serves ATT&CK at `https://attack-taxii.mitre.org/api/v21/` (an API root; the
//! discovery document is `/taxii2/`). Either may be given as the `attack-taxii` base. Objects
//! come in envelopes (`{"more": true, "next": "...", "objects": [...]}`) that are followed
//! until `more` is false.

use huntbook_fetch::{Fetcher, Location, Url};
use serde::Deserialize;

use crate::bundle::Bundle;
use crate::model::{RawObject, StixObject};
use crate::release::{Domain, Release};
use crate::{Attack, Error, Result};

/// The media type of TAXII 2.1 requests and replies.
pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";

/// Objects asked for per page.
const PAGE_SIZE: usize = 5000;

/// Guard against a server whose `next` never ends.
const MAX_PAGES: usize = 10_000;

#[derive(Deserialize)]
struct Discovery {
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    api_roots: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Collections {
    #[serde(default)]
    collections: Vec<CollectionInfo>,
}

/// A collection on a TAXII server.
#[derive(Debug, Clone, Deserialize)]
pub struct CollectionInfo {
    /// Its id (MITRE uses the ATT&CK collection's STIX id).
    pub id: String,
    /// `Enterprise ATT&CK`, ...
    #[serde(default)]
    pub title: String,
    /// Whether objects can be read.
    #[serde(default)]
    pub can_read: Option<bool>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    more: Option<bool>,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    objects: Option<Vec<RawObject>>,
}

#[derive(Deserialize)]
struct TaxiiError {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// MITRE's collection ids, for servers whose titles differ.
const KNOWN_COLLECTIONS: [(&str, Domain); 3] = [
    (
        "x-mitre-collection--1f5f1533-f617-4ca8-9ab4-6a02367fa019",
        Domain::Enterprise,
    ),
    (
        "x-mitre-collection--dac0d2d7-8653-445c-9bff-82f934c1e858",
        Domain::Mobile,
    ),
    (
        "x-mitre-collection--90c00720-636b-4485-b342-8751d232bf09",
        Domain::Ics,
    ),
];

fn collection_domain(c: &CollectionInfo) -> Option<Domain> {
    if let Some((_, d)) = KNOWN_COLLECTIONS.iter().find(|(id, _)| *id == c.id) {
        return Some(*d);
    }
    let title = c.title.to_ascii_lowercase();
    if title.contains("enterprise") {
        Some(Domain::Enterprise)
    } else if title.contains("mobile") {
        Some(Domain::Mobile)
    } else if title.contains("ics") {
        Some(Domain::Ics)
    } else {
        None
    }
}

/// A TAXII 2.1 client over a [`Fetcher`] (timeouts, retries; no caching of API replies).
pub struct TaxiiClient<'a> {
    fetcher: &'a Fetcher,
    api_root: Location,
}

impl<'a> TaxiiClient<'a> {
    /// Connects to a base that is an API root or a discovery endpoint.
    pub fn connect(fetcher: &'a Fetcher, base: &Location) -> Result<Self> {
        let bytes = get(fetcher, base.url())?;
        let discovery: Discovery = parse(&bytes, base.url())?;
        let api_root = match (discovery.default, discovery.api_roots) {
            (Some(root), _) => Location::parse(&resolve(base.url(), &root)?)?,
            (None, Some(roots)) if !roots.is_empty() => {
                Location::parse(&resolve(base.url(), &roots[0])?)?
            }
            (None, Some(_)) => {
                return Err(Error::TaxiiProtocol {
                    url: base.to_string(),
                    message: "the discovery document lists no API roots".into(),
                })
            }
            (None, None) => base.clone(),
        };
        Ok(Self { fetcher, api_root })
    }

    /// The API root in use.
    pub fn api_root(&self) -> &Location {
        &self.api_root
    }

    /// The collections the server offers.
    pub fn collections(&self) -> Result<Vec<CollectionInfo>> {
        let url = self.api_root.join("collections/")?;
        let reply: Collections = parse(&get(self.fetcher, &url)?, &url)?;
        Ok(reply.collections)
    }

    /// Every object of a collection, following `next` while `more` is true.
    pub fn objects(&self, collection_id: &str) -> Result<Vec<StixObject>> {
        let base = self
            .api_root
            .join(&format!("collections/{collection_id}/objects/"))?;
        let mut objects = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut url = base.clone();
            {
                let mut query = url.query_pairs_mut();
                query.append_pair("limit", &PAGE_SIZE.to_string());
                if let Some(next) = &next {
                    query.append_pair("next", next);
                }
            }
            let envelope: Envelope = parse(&get(self.fetcher, &url)?, &url)?;
            for (i, raw) in envelope.objects.unwrap_or_default().into_iter().enumerate() {
                if !raw.is_object() {
                    return Err(Error::TaxiiProtocol {
                        url: url.to_string(),
                        message: format!("objects[{i}] has no \"id\" or \"type\""),
                    });
                }
                objects.push(StixObject::from_raw(raw));
            }
            match (envelope.more.unwrap_or(false), envelope.next) {
                (true, Some(n)) if Some(&n) != next.as_ref() => next = Some(n),
                (true, Some(_)) => {
                    return Err(Error::TaxiiProtocol {
                        url: url.to_string(),
                        message: "the server repeated the same \"next\" token".into(),
                    })
                }
                (true, None) => {
                    return Err(Error::TaxiiProtocol {
                        url: url.to_string(),
                        message: "\"more\" is true but there is no \"next\" token".into(),
                    })
                }
                (false, _) => return Ok(objects),
            }
        }
        Err(Error::TaxiiProtocol {
            url: base.to_string(),
            message: format!("more than {MAX_PAGES} pages"),
        })
    }
}

fn resolve(base: &Url, reference: &str) -> Result<String> {
    base.join(reference)
        .map(|u| u.to_string())
        .map_err(|e| Error::TaxiiProtocol {
            url: base.to_string(),
            message: format!("bad API root {reference:?}: {e}"),
        })
}

fn get(fetcher: &Fetcher, url: &Url) -> Result<Vec<u8>> {
    fetcher
        .get_bytes(url, Some(TAXII_MEDIA_TYPE))
        .map_err(|e| match e {
            huntbook_fetch::Error::Http {
                url,
                status,
                detail: Some(detail),
            } => match serde_json::from_str::<TaxiiError>(&detail) {
                Ok(t) => Error::Taxii {
                    url,
                    status,
                    title: t.title,
                    description: t.description,
                },
                Err(_) => Error::Fetch(huntbook_fetch::Error::Http {
                    url,
                    status,
                    detail: Some(detail),
                }),
            },
            other => Error::Fetch(other),
        })
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8], url: &Url) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| match Error::json(url.as_str(), &e) {
        Error::Json {
            message,
            line,
            column,
            ..
        } => Error::TaxiiProtocol {
            url: url.to_string(),
            message: format!("line {line}, column {column}: {message}"),
        },
        other => other,
    })
}

/// Loads the given domains from a TAXII 2.1 server.
pub(crate) fn load(
    fetcher: &Fetcher,
    base: &Location,
    domains: &[Domain],
    release: &Release,
) -> Result<Attack> {
    let client = TaxiiClient::connect(fetcher, base)?;
    let collections = client.collections()?;
    let mut attack = Attack::new();
    for &domain in domains {
        let collection = collections
            .iter()
            .find(|c| collection_domain(c) == Some(domain))
            .ok_or_else(|| Error::TaxiiProtocol {
                url: client.api_root().to_string(),
                message: if collections.is_empty() {
                    format!("no collection for {domain}; the server offers none")
                } else {
                    format!(
                        "no collection for {domain}; the server offers: {}",
                        collections
                            .iter()
                            .map(|c| format!("{:?} ({})", c.title, c.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            })?;
        let objects = client.objects(&collection.id)?;
        attack.add_bundle(
            Bundle {
                id: None,
                spec_version: Some("2.1".into()),
                objects,
            },
            Some(domain),
        );
        attack.origins.push(format!(
            "{}collections/{}/",
            client.api_root(),
            collection.id
        ));
    }
    let served = attack.collections().iter().find_map(|c| c.version.clone());
    if let (Release::Pinned(pinned), Some(served)) = (release, &served) {
        if pinned != served {
            return Err(Error::UnknownRelease {
                release: pinned.clone(),
                domain: domains
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                url: Some(client.api_root().to_string()),
                hint: format!(
                    "the TAXII server serves release {served} only; use the mitre-cti or attack-stix-data source for other releases"
                ),
            });
        }
    }
    attack.release = served.or_else(|| release.version().map(str::to_string));
    Ok(attack)
}
