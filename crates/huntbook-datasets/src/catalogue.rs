//! The catalogue: every Security-Datasets metadata file (`datasets/atomic/_metadata/*.yaml`,
//! `datasets/compound/_metadata/*.yaml`) as typed records and as a polars frame, with
//! searches by ATT&CK technique, tactic, platform and text.
//!
//! The list of metadata files comes from the folder itself: read in place for a local mirror,
//! from GitHub's contents API for the upstream repository, and from the HTML or JSON index a
//! web server gives for a folder for any other mirror. Files are fetched like everything else
//! (mirror, cache, offline, retries: see `huntbook-fetch`).

use std::collections::BTreeSet;

use huntbook_fetch::{Fetcher, Freshness, Location, Upstream, SECURITY_DATASETS};
use polars::prelude::*;
use serde::Deserialize;
use url::Url;

use huntbook_frames::FrameBuilder;

use crate::{Error, Result};

/// The metadata folders, relative to the repository base (branch `master`).
pub const METADATA_FOLDERS: [&str; 2] = [
    "master/datasets/atomic/_metadata/",
    "master/datasets/compound/_metadata/",
];

/// GitHub's contents API for the upstream repository: lists a folder as JSON.
const GITHUB_CONTENTS: &str = "https://api.github.com/repos/OTRF/Security-Datasets/contents/";

/// One ATT&CK mapping of a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackMapping {
    /// Technique id, `T1003`.
    pub technique: String,
    /// Sub-technique number, `001`, when the mapping is to a sub-technique.
    pub sub_technique: Option<String>,
    /// Tactic ids, `TA0006`.
    pub tactics: Vec<String>,
}

impl AttackMapping {
    /// The full ATT&CK id: `T1003.001`, or `T1003`.
    pub fn attack_id(&self) -> String {
        match &self.sub_technique {
            Some(sub) => format!("{}.{sub}", self.technique),
            None => self.technique.clone(),
        }
    }
}

/// One downloadable file of a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetFile {
    /// What it holds: `Host`, `Network`, `cloud`, ...
    pub kind: String,
    /// Its upstream URL.
    pub link: String,
}

/// One dataset, as its metadata file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// `SDWIN-190518201922`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description, when given.
    pub description: Option<String>,
    /// Platforms (`Windows`, `Linux`, `AWS`, ...).
    pub platform: Vec<String>,
    /// `atomic` or `compound`.
    pub kind: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Creation date as written (`2020/09/13`).
    pub creation_date: Option<String>,
    /// Modification date as written.
    pub modification_date: Option<String>,
    /// Contributors.
    pub contributors: Vec<String>,
    /// ATT&CK mappings.
    pub attack_mappings: Vec<AttackMapping>,
    /// Downloadable files.
    pub files: Vec<DatasetFile>,
    /// The metadata file this came from (URL or path).
    pub source: String,
}

impl Dataset {
    /// Full ATT&CK technique ids (`T1003.001`), in mapping order, without repeats.
    pub fn technique_ids(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.attack_mappings
            .iter()
            .map(AttackMapping::attack_id)
            .filter(|id| seen.insert(id.clone()))
            .collect()
    }

    /// Tactic ids of all mappings, without repeats, in order of appearance.
    pub fn tactic_ids(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.attack_mappings
            .iter()
            .flat_map(|m| m.tactics.iter().cloned())
            .filter(|t| seen.insert(t.clone()))
            .collect()
    }

    /// Whether a mapping is `id` or, when `id` is a parent technique (`T1003`), one of its
    /// sub-techniques. Ignores case.
    pub fn maps_technique(&self, id: &str) -> bool {
        let id = id.trim().to_uppercase();
        self.attack_mappings.iter().any(|m| {
            let full = m.attack_id().to_uppercase();
            full == id || (!id.contains('.') && m.technique.to_uppercase() == id)
        })
    }

    /// Whether any mapping names the tactic id (`TA0006`), ignoring case.
    pub fn maps_tactic(&self, tactic_id: &str) -> bool {
        let tactic_id = tactic_id.trim();
        self.attack_mappings
            .iter()
            .any(|m| m.tactics.iter().any(|t| t.eq_ignore_ascii_case(tactic_id)))
    }

    /// Whether the dataset is for `platform`, ignoring case.
    pub fn on_platform(&self, platform: &str) -> bool {
        let platform = platform.trim();
        self.platform
            .iter()
            .any(|p| p.eq_ignore_ascii_case(platform))
    }

    /// Whether `text` appears (ignoring case) in the id, title, description or tags.
    pub fn mentions(&self, text: &str) -> bool {
        let text = text.trim().to_lowercase();
        [Some(&self.id), Some(&self.title), self.description.as_ref()]
            .into_iter()
            .flatten()
            .chain(self.tags.iter())
            .any(|field| field.to_lowercase().contains(&text))
    }
}

/// The metadata file as written; every field optional so that one odd file does not hide the
/// others' fields. Checked and turned into a [`Dataset`] by [`parse_metadata`].
#[derive(Deserialize)]
struct RawMetadata {
    id: Option<Scalar>,
    title: Option<Scalar>,
    description: Option<Scalar>,
    #[serde(default)]
    platform: OneOrMany,
    #[serde(rename = "type")]
    kind: Option<Scalar>,
    #[serde(default)]
    tags: OneOrMany,
    creation_date: Option<Scalar>,
    modification_date: Option<Scalar>,
    #[serde(default)]
    contributors: OneOrMany,
    #[serde(default)]
    attack_mappings: Option<Vec<RawMapping>>,
    #[serde(default)]
    files: Option<Vec<RawFile>>,
}

#[derive(Deserialize)]
struct RawMapping {
    technique: Option<Scalar>,
    #[serde(rename = "sub-technique")]
    sub_technique: Option<Scalar>,
    #[serde(default)]
    tactics: OneOrMany,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(rename = "type")]
    kind: Option<Scalar>,
    link: Option<Scalar>,
}

/// A YAML scalar of any type, as text (`004` may come as a string or a number).
#[derive(Deserialize)]
#[serde(untagged, expecting = "expected a text, a number or a boolean")]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn text(self) -> String {
        match self {
            Scalar::Text(s) => s.trim().to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn text(scalar: Option<Scalar>) -> Option<String> {
    scalar.map(Scalar::text).filter(|s| !s.is_empty())
}

/// A list, a single value, or nothing.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<Option<Scalar>>),
    One(Scalar),
    #[default]
    None,
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::Many(items) => items.into_iter().filter_map(text).collect(),
            OneOrMany::One(item) => text(Some(item)).into_iter().collect(),
            OneOrMany::None => Vec::new(),
        }
    }
}

/// Parses one metadata file. `source` names it in errors. The `id` and `title` fields are
/// required; everything else may be missing.
pub fn parse_metadata(yaml: &str, source: &str) -> Result<Dataset> {
    let raw: RawMetadata = serde_saphyr::from_str(yaml).map_err(|e| yaml_error(source, &e))?;
    let missing = |field: &str| Error::Metadata {
        source_name: source.to_string(),
        message: format!("the required field `{field}` is missing or empty"),
    };
    let id = text(raw.id).ok_or_else(|| missing("id"))?;
    let title = text(raw.title).ok_or_else(|| missing("title"))?;
    let attack_mappings = raw
        .attack_mappings
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| {
            let technique = text(m.technique)?.to_uppercase();
            let sub_technique = text(m.sub_technique).map(|s| match s.parse::<u32>() {
                Ok(n) => format!("{n:03}"),
                Err(_) => s,
            });
            Some(AttackMapping {
                technique,
                sub_technique,
                tactics: m.tactics.into_vec(),
            })
        })
        .collect();
    let files = raw
        .files
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| {
            Some(DatasetFile {
                link: text(f.link)?,
                kind: text(f.kind).unwrap_or_default(),
            })
        })
        .collect();
    Ok(Dataset {
        id,
        title,
        description: text(raw.description),
        platform: raw.platform.into_vec(),
        kind: text(raw.kind).unwrap_or_default(),
        tags: raw.tags.into_vec(),
        creation_date: text(raw.creation_date),
        modification_date: text(raw.modification_date),
        contributors: raw.contributors.into_vec(),
        attack_mappings,
        files,
        source: source.to_string(),
    })
}

/// Every dataset of the catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    datasets: Vec<Dataset>,
    /// Metadata files that could not be read: each error names its file.
    pub skipped: Vec<String>,
}

impl Catalogue {
    /// Loads the catalogue with the settings of the `HUNTBOOK_*` environment variables.
    pub fn load() -> Result<Self> {
        Self::load_with(&Fetcher::from_env()?)
    }

    /// Loads the catalogue through `fetcher` (its mirror, cache and offline settings). A
    /// metadata file that does not parse is listed in [`Catalogue::skipped`]; a folder that
    /// cannot be listed is an error.
    pub fn load_with(fetcher: &Fetcher) -> Result<Self> {
        let base = fetcher.base(&SECURITY_DATASETS)?;
        let mut catalogue = Catalogue::default();
        for folder in METADATA_FOLDERS {
            for url in list_folder(fetcher, &base, &SECURITY_DATASETS, folder)? {
                let fetched = fetcher.fetch(&url, Freshness::Revalidate)?;
                let name = fetched.display_name();
                let parsed = fetched.read().map_err(Error::from).and_then(|bytes| {
                    let yaml = String::from_utf8(bytes).map_err(|e| Error::Metadata {
                        source_name: name.clone(),
                        message: format!("not UTF-8 text: {e}"),
                    })?;
                    parse_metadata(&yaml, &name)
                });
                match parsed {
                    Ok(dataset) => catalogue.datasets.push(dataset),
                    Err(error) => catalogue.skipped.push(error.to_string()),
                }
            }
        }
        catalogue.datasets.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(catalogue)
    }

    /// A catalogue of the given datasets.
    pub fn from_datasets(datasets: Vec<Dataset>) -> Self {
        Catalogue {
            datasets,
            skipped: Vec::new(),
        }
    }

    /// A catalogue of copies of `datasets` (the result of a search), which a notebook can
    /// keep in a variable: `catalogue.subset(&catalogue.by_technique("T1003"))`.
    pub fn subset(&self, datasets: &[&Dataset]) -> Catalogue {
        Catalogue::from_datasets(datasets.iter().map(|d| (*d).clone()).collect())
    }

    /// The datasets, by id.
    pub fn datasets(&self) -> &[Dataset] {
        &self.datasets
    }

    /// How many datasets.
    pub fn len(&self) -> usize {
        self.datasets.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.datasets.is_empty()
    }

    /// The dataset with this id, or whose title is this (both ignoring case), or that has a
    /// file with this link or file name.
    pub fn find(&self, query: &str) -> Result<&Dataset> {
        let q = query.trim();
        let by = |f: &dyn Fn(&Dataset) -> bool| self.datasets.iter().find(|d| f(d));
        by(&|d| d.id.eq_ignore_ascii_case(q))
            .or_else(|| by(&|d| d.title.eq_ignore_ascii_case(q)))
            .or_else(|| {
                by(&|d| {
                    d.files
                        .iter()
                        .any(|f| f.link == q || f.link.rsplit('/').next().is_some_and(|n| n == q))
                })
            })
            .ok_or_else(|| {
                let hint: Vec<&str> = self
                    .datasets
                    .iter()
                    .filter(|d| d.mentions(q))
                    .take(5)
                    .map(|d| d.id.as_str())
                    .collect();
                Error::UnknownDataset {
                    query: q.to_string(),
                    hint: if hint.is_empty() {
                        format!("{} datasets in the catalogue", self.datasets.len())
                    } else {
                        format!("datasets that mention it: {}", hint.join(", "))
                    },
                }
            })
    }

    /// Datasets mapped to the technique `id`; a parent id (`T1003`) also finds its
    /// sub-techniques (`T1003.001`).
    pub fn by_technique(&self, id: &str) -> Vec<&Dataset> {
        self.filter(|d| d.maps_technique(id))
    }

    /// Datasets mapped to the tactic id (`TA0006`).
    pub fn by_tactic(&self, tactic_id: &str) -> Vec<&Dataset> {
        self.filter(|d| d.maps_tactic(tactic_id))
    }

    /// Datasets for the platform (`windows`, `Linux`, `AWS`), ignoring case.
    pub fn by_platform(&self, platform: &str) -> Vec<&Dataset> {
        self.filter(|d| d.on_platform(platform))
    }

    /// Datasets whose id, title, description or tags contain `text`, ignoring case.
    pub fn search(&self, text: &str) -> Vec<&Dataset> {
        self.filter(|d| d.mentions(text))
    }

    fn filter(&self, keep: impl Fn(&Dataset) -> bool) -> Vec<&Dataset> {
        self.datasets.iter().filter(|d| keep(d)).collect()
    }

    /// The whole catalogue as a frame (see [`frame_of`]).
    pub fn frame(&self) -> Result<DataFrame> {
        frame_of(&self.datasets.iter().collect::<Vec<_>>())
    }
}

/// Datasets as a frame, one row each. Columns: `id`, `title`, `platform` (list), `type`,
/// `tags` (list), `creation_date`, `modification_date` (`datetime[ms]`, UTC midnight),
/// `contributors` (list), `techniques` (list of full ids), `tactics` (list), `files`
/// (list of links), `file_types` (list), `description`.
pub fn frame_of(datasets: &[&Dataset]) -> Result<DataFrame> {
    let techniques: Vec<Vec<String>> = datasets.iter().map(|d| d.technique_ids()).collect();
    let tactics: Vec<Vec<String>> = datasets.iter().map(|d| d.tactic_ids()).collect();
    fn strs(v: &[String]) -> Option<impl Iterator<Item = &str>> {
        Some(v.iter().map(String::as_str))
    }
    Ok(FrameBuilder::new("datasets", datasets.len())
        .str("id", datasets.iter().map(|d| Some(d.id.as_str())))
        .str("title", datasets.iter().map(|d| Some(d.title.as_str())))
        .list("platform", datasets.iter().map(|d| strs(&d.platform)))
        .str("type", datasets.iter().map(|d| Some(d.kind.as_str())))
        .list("tags", datasets.iter().map(|d| strs(&d.tags)))
        .date(
            "creation_date",
            datasets.iter().map(|d| d.creation_date.as_deref()),
        )
        .date(
            "modification_date",
            datasets.iter().map(|d| d.modification_date.as_deref()),
        )
        .list(
            "contributors",
            datasets.iter().map(|d| strs(&d.contributors)),
        )
        .list("techniques", techniques.iter().map(|t| strs(t)))
        .list("tactics", tactics.iter().map(|t| strs(t)))
        .list(
            "files",
            datasets
                .iter()
                .map(|d| Some(d.files.iter().map(|f| f.link.as_str()).collect::<Vec<_>>())),
        )
        .list(
            "file_types",
            datasets
                .iter()
                .map(|d| Some(d.files.iter().map(|f| f.kind.as_str()).collect::<Vec<_>>())),
        )
        .str(
            "description",
            datasets.iter().map(|d| d.description.as_deref()),
        )
        .finish()?)
}

/// The metadata files of one folder, as URLs.
fn list_folder(
    fetcher: &Fetcher,
    base: &Location,
    upstream: &Upstream,
    folder: &str,
) -> Result<Vec<Url>> {
    let folder_url = base.join(folder)?;
    let names: Vec<String> = if folder_url.scheme() == "file" {
        let dir = folder_url.to_file_path().map_err(|()| Error::Metadata {
            source_name: folder_url.to_string(),
            message: "not a local folder".into(),
        })?;
        let entries = std::fs::read_dir(&dir).map_err(|e| Error::io("list", &dir, e))?;
        entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    } else {
        let listing_url = if base.url().as_str() == upstream.base {
            let path = folder.trim_start_matches("master/").trim_end_matches('/');
            Url::parse(&format!("{GITHUB_CONTENTS}{path}?ref=master")).map_err(|e| {
                Error::Metadata {
                    source_name: folder.to_string(),
                    message: e.to_string(),
                }
            })?
        } else {
            folder_url.clone()
        };
        let fetched = fetcher.fetch(&listing_url, Freshness::Revalidate)?;
        let body = fetched.read()?;
        parse_listing(&body).ok_or_else(|| Error::Metadata {
            source_name: listing_url.to_string(),
            message: "the folder listing is neither GitHub's contents JSON nor an HTML index"
                .into(),
        })?
    };
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    names.dedup();
    names
        .iter()
        .map(|name| {
            folder_url.join(name).map_err(|e| Error::Metadata {
                source_name: format!("{folder_url}{name}"),
                message: e.to_string(),
            })
        })
        .collect()
}

/// A YAML fault as `file, line 3, column 7: what`: serde-saphyr's message without its source
/// snippet (an `<input>` a notebook reader cannot place) and without its own position prefix.
fn yaml_error(source: &str, e: &serde_saphyr::Error) -> Error {
    let text = e.without_snippet().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let (source_name, message) = match e.location() {
        Some(at) => {
            let prefix = format!("line {} column {}: ", at.line(), at.column());
            let suffix = format!(" at line {}, column {}", at.line(), at.column());
            let message = text.strip_prefix(&prefix).unwrap_or(text);
            let message = message.strip_suffix(&suffix).unwrap_or(message);
            (
                format!("{source}, line {}, column {}", at.line(), at.column()),
                message.to_string(),
            )
        }
        None => (source.to_string(), text.to_string()),
    };
    Error::Metadata {
        source_name,
        message,
    }
}

/// File names from a folder listing: GitHub's contents API JSON (`[{"name": ...}]`) or an
/// HTML index (`<a href="name">`).
pub fn parse_listing(body: &[u8]) -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct Entry {
        name: String,
    }
    if let Ok(entries) = serde_json::from_slice::<Vec<Entry>>(body) {
        return Some(entries.into_iter().map(|e| e.name).collect());
    }
    let text = std::str::from_utf8(body).ok()?;
    if !text.to_ascii_lowercase().contains("<a ") {
        return None;
    }
    let names = text
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| !href.contains("://") && !href.starts_with('?') && !href.starts_with('/'))
        .map(|href| {
            percent_encoding::percent_decode_str(href.rsplit('/').next().unwrap_or(href))
                .decode_utf8_lossy()
                .into_owned()
        })
        .filter(|name| !name.is_empty())
        .collect();
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_in_json_and_html() {
        let json = br#"[{"name": "a.yaml", "type": "file"}, {"name": "b.yaml"}]"#;
        assert_eq!(parse_listing(json).unwrap(), ["a.yaml", "b.yaml"]);
        let html = br#"<ul><li><a href="../">..</a></li><li><a href="SDWIN-1.yaml">x</a></li><a href="https://x/y.yaml">"#;
        assert_eq!(parse_listing(html).unwrap(), ["SDWIN-1.yaml"]);
        assert_eq!(parse_listing(b"plain text"), None);
    }
}
