//! STIX bundles: parsing bytes, files and directories into typed objects.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::lenient;
use crate::model::{RawObject, StixObject};
use crate::{Error, Result};

/// A parsed STIX bundle (2.0 or 2.1), or a single object file read as a one-object bundle.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    /// The bundle id (`bundle--...`), absent for a single-object file.
    pub id: Option<String>,
    /// `2.0` for STIX 2.0 bundles (2.1 bundles carry the version on each object).
    pub spec_version: Option<String>,
    /// The objects, in file order.
    pub objects: Vec<StixObject>,
}

#[derive(Deserialize)]
struct RawBundle {
    #[serde(rename = "type", default, deserialize_with = "lenient::opt_string")]
    stix_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    spec_version: Option<String>,
    #[serde(default)]
    objects: Option<Vec<RawObject>>,
}

fn describe_start(bytes: &[u8]) -> Option<&'static str> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Some("the file is empty"),
        Some(b'[') => Some("it is a JSON array, not an object with \"type\": \"bundle\""),
        Some(b'{') => None,
        Some(b'<') => Some("it looks like HTML or XML, not JSON"),
        Some(_) => None,
    }
}

impl Bundle {
    /// Parses a bundle from bytes; `name` (a path or URL) is used in error messages.
    pub fn from_slice(bytes: &[u8], name: &str) -> Result<Self> {
        if let Some(found) = describe_start(bytes) {
            return Err(Error::NotABundle {
                name: name.to_string(),
                found: found.to_string(),
            });
        }
        let raw: RawBundle = serde_json::from_slice(bytes).map_err(|e| Error::json(name, &e))?;
        match (raw.stix_type.as_deref(), raw.objects) {
            (Some("bundle"), Some(objects)) => {
                let objects = objects
                    .into_iter()
                    .enumerate()
                    .map(|(i, o)| checked(o, name, i))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Bundle {
                    id: raw.id,
                    spec_version: raw.spec_version,
                    objects,
                })
            }
            (Some("bundle"), None) => Err(Error::NotABundle {
                name: name.to_string(),
                found: "the bundle has no \"objects\" list".into(),
            }),
            (Some(_), _) if raw.id.is_some() => {
                // A single object (per-object file layouts).
                let object: RawObject =
                    serde_json::from_slice(bytes).map_err(|e| Error::json(name, &e))?;
                Ok(Bundle {
                    id: None,
                    spec_version: None,
                    objects: vec![checked(object, name, 0)?],
                })
            }
            (Some(other), _) => Err(Error::NotABundle {
                name: name.to_string(),
                found: format!("its \"type\" is {other:?} and it has no \"id\""),
            }),
            (None, _) => Err(Error::NotABundle {
                name: name.to_string(),
                found: "the JSON object has no \"type\" field".into(),
            }),
        }
    }

    /// Reads and parses a bundle file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            action: "failed to read STIX bundle",
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_slice(&bytes, &path.display().to_string())
    }

    /// Reads every `*.json` file under `dir` (recursively, in path order): bundles and
    /// per-object files alike, as one bundle.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        collect_json_files(dir, &mut files)?;
        if files.is_empty() {
            return Err(Error::NotABundle {
                name: dir.display().to_string(),
                found: "the directory holds no .json files".into(),
            });
        }
        files.sort();
        let mut out = Bundle::default();
        for file in files {
            let bundle = Self::from_path(&file)?;
            out.spec_version = out.spec_version.or(bundle.spec_version);
            out.objects.extend(bundle.objects);
        }
        Ok(out)
    }
}

fn checked(raw: RawObject, name: &str, index: usize) -> Result<StixObject> {
    if raw.is_object() {
        return Ok(StixObject::from_raw(raw));
    }
    let missing = if raw.id().is_none() { "id" } else { "type" };
    Err(Error::NotABundle {
        name: name.to_string(),
        found: format!(
            "objects[{index}] has no {missing:?}{}",
            raw.stix_type()
                .map(|t| format!(" (type {t:?})"))
                .or_else(|| raw.id().map(|i| format!(" (id {i})")))
                .unwrap_or_default()
        ),
    })
}

fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        action: "failed to list",
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            action: "failed to list",
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            collect_json_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_kind_of_non_bundle() {
        let cases: [(&[u8], &str); 5] = [
            (b"", "empty"),
            (b"[1, 2]", "JSON array"),
            (b"<html>", "HTML"),
            (br#"{"type": "bundle"}"#, "no \"objects\""),
            (br#"{"hello": 1}"#, "no \"type\""),
        ];
        for (bytes, needle) in cases {
            let err = Bundle::from_slice(bytes, "x.json").unwrap_err().to_string();
            assert!(err.contains("x.json") && err.contains(needle), "{err}");
        }
    }

    #[test]
    fn json_errors_carry_line_and_column() {
        let err = Bundle::from_slice(b"{\"type\": \"bundle\",\n \"objects\": [}", "bad.json")
            .unwrap_err();
        match &err {
            Error::Json { line, column, .. } => assert_eq!((*line, *column), (2, 14)),
            other => panic!("{other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.starts_with("failed to read STIX bundle bad.json: line 2, column 14: "),
            "{text}"
        );
    }

    #[test]
    fn objects_without_id_are_named() {
        let err = Bundle::from_slice(
            br#"{"type": "bundle", "objects": [{"type": "attack-pattern", "name": "x"}]}"#,
            "f.json",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("objects[0] has no \"id\""), "{err}");
    }

    #[test]
    fn single_object_files_are_one_object_bundles() {
        let b = Bundle::from_slice(
            br#"{"type": "x-mitre-tactic", "id": "x-mitre-tactic--1", "x_mitre_shortname": "execution"}"#,
            "t.json",
        )
        .unwrap();
        assert_eq!(b.objects.len(), 1);
        match &b.objects[0] {
            StixObject::Tactic(t) => assert_eq!(t.shortname.as_deref(), Some("execution")),
            other => panic!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Cut and corrupted bundles are errors, never panics.
    #[test]
    fn no_panic_on_truncated_or_corrupted_input() {
        let good = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/drift.json"
        ))
        .expect("fixture");
        assert!(Bundle::from_slice(&good, "drift.json").is_ok());
        for cut in (0..good.len()).step_by(7) {
            let _ = Bundle::from_slice(&good[..cut], "cut.json");
        }
        // A small deterministic generator flips bytes all over the file.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[]\":,0123456789tfn-. \\ae";
        for _ in 0..2000 {
            let mut bytes = good.clone();
            for _ in 0..4 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            let _ = Bundle::from_slice(&bytes, "corrupt.json");
        }
    }
}
