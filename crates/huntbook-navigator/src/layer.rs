//! The layer file format (ATT&CK Navigator's layer format 4.5): what is read is written back
//! unchanged, fields this crate does not model included.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};

/// The layer format this crate writes.
pub const LAYER_FORMAT: &str = "4.5";
/// The Navigator version written layers name (the one that opens format 4.5).
pub const NAVIGATOR_VERSION: &str = "5.1.0";
/// Layer formats this crate reads (mitreattack-python 6 reads the same and upgrades them).
pub const READABLE_FORMATS: [&str; 7] = ["3.0", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5"];

/// An ATT&CK Navigator layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Layer {
    /// The layer's name (a Navigator tab title).
    pub name: String,
    /// ATT&CK, Navigator and layer format versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Versions>,
    /// `enterprise-attack`, `mobile-attack` or `ics-attack`.
    pub domain: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The annotated techniques.
    #[serde(default)]
    pub techniques: Vec<TechniqueEntry>,
    /// Colours of scores from `min_value` to `max_value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gradient: Option<Gradient>,
    /// The legend's entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legend_items: Option<Vec<LegendItem>>,
    /// Name and value pairs about the layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Vec<MetadataEntry>>,
    /// Links about the layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// Every other field (`filters`, `layout`, `sorting`, `hideDisabled`, ...), kept as read.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `versions`: which ATT&CK, Navigator and layer format the layer was made for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Versions {
    /// The ATT&CK major version (`18`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attack: Option<String>,
    /// The Navigator version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub navigator: Option<String>,
    /// The layer format (`4.5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Other fields, kept.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One annotated technique: a technique id, under one tactic or (without `tactic`) under
/// every tactic it belongs to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TechniqueEntry {
    /// `T1003` or `T1003.001`.
    #[serde(rename = "techniqueID")]
    pub technique_id: String,
    /// A tactic short name (`credential-access`); absent: every tactic of the technique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tactic: Option<String>,
    /// The score, as written (an integer stays an integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Number>,
    /// A colour (`#e60d0d`), over the gradient's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// A comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Whether the cell is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Name and value pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Vec<MetadataEntry>>,
    /// Links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// Whether the sub-techniques are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_subtechniques: Option<bool>,
    /// Other fields, kept.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl TechniqueEntry {
    /// An entry for `technique_id` alone.
    pub fn new(technique_id: impl Into<String>) -> Self {
        TechniqueEntry {
            technique_id: technique_id.into(),
            ..Default::default()
        }
    }

    /// The score as a float.
    pub fn score(&self) -> Option<f64> {
        self.score.as_ref().and_then(Number::as_f64)
    }

    /// Sets the score (an integer when it is one).
    pub fn set_score(&mut self, score: Option<f64>) {
        self.score = score.and_then(number);
    }

    /// The value of the metadata entry `name`.
    pub fn metadata_value(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .flatten()
            .find(|m| m.name.as_deref() == Some(name))
            .and_then(|m| m.value.as_deref())
    }
}

/// A JSON number for `value`: an integer when it is one, none for NaN or infinities.
pub(crate) fn number(value: f64) -> Option<Number> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Some(Number::from(value as i64))
    } else {
        Number::from_f64(value)
    }
}

/// `gradient`: the colours scores take, from `min_value` to `max_value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gradient {
    /// Colours, low to high (`#ffffff`, `#66b1ff`).
    pub colors: Vec<String>,
    /// The score of the first colour.
    pub min_value: Number,
    /// The score of the last colour.
    pub max_value: Number,
    /// Other fields, kept.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Gradient {
    /// A gradient through `colors` from `min` to `max`.
    pub fn new(colors: &[&str], min: f64, max: f64) -> Self {
        Gradient {
            colors: colors.iter().map(|c| c.to_string()).collect(),
            min_value: number(min).unwrap_or_else(|| Number::from(0)),
            max_value: number(max).unwrap_or_else(|| Number::from(1)),
            other: Map::new(),
        }
    }
}

/// A legend entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegendItem {
    /// What the colour means.
    pub label: String,
    /// The colour.
    pub color: String,
    /// Other fields, kept.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl LegendItem {
    /// A legend entry.
    pub fn new(label: impl Into<String>, color: impl Into<String>) -> Self {
        LegendItem {
            label: label.into(),
            color: color.into(),
            other: Map::new(),
        }
    }
}

/// A metadata entry: a name and a value, or a divider.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetadataEntry {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `true` for a divider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider: Option<bool>,
    /// Other fields, kept.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl MetadataEntry {
    /// A name and value pair.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        MetadataEntry {
            name: Some(name.into()),
            value: Some(value.into()),
            ..Default::default()
        }
    }
}

/// A link: a label and a URL, or a divider.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Link {
    /// The text shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Where it goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `true` for a divider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider: Option<bool>,
    /// Other fields, kept.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Link {
    /// A labelled link.
    pub fn new(label: impl Into<String>, url: impl Into<String>) -> Self {
        Link {
            label: Some(label.into()),
            url: Some(url.into()),
            ..Default::default()
        }
    }
}

impl Layer {
    /// An empty layer of `domain` (`enterprise-attack`), for ATT&CK `attack_version` (the
    /// major version Navigator shows, `18`; `None` leaves it out), in format 4.5.
    pub fn new(
        name: impl Into<String>,
        domain: impl Into<String>,
        attack_version: Option<&str>,
    ) -> Self {
        Layer {
            name: name.into(),
            versions: Some(Versions {
                attack: attack_version.map(|v| v.split('.').next().unwrap_or(v).to_string()),
                navigator: Some(NAVIGATOR_VERSION.to_string()),
                layer: Some(LAYER_FORMAT.to_string()),
                other: Map::new(),
            }),
            domain: domain.into(),
            description: None,
            techniques: Vec::new(),
            gradient: None,
            legend_items: None,
            metadata: None,
            links: None,
            other: Map::new(),
        }
    }

    /// Reads a layer from JSON in UTF-8 or, after a byte order mark, UTF-16 (what
    /// mitreattack-python's `to_file` writes); `origin` (a file name, a URL) names it in
    /// errors.
    pub fn from_slice(bytes: &[u8], origin: &str) -> Result<Layer> {
        let json_error = |message: String| Error::Json {
            origin: origin.to_string(),
            message,
        };
        let utf16 = |bytes: &[u8], unit: fn([u8; 2]) -> u16| -> Result<String> {
            if bytes.len() % 2 != 0 {
                return Err(json_error("UTF-16 text of an odd number of bytes".into()));
            }
            let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|e| json_error(format!("invalid UTF-16: {e}")))
        };
        let decoded;
        let text: &[u8] = match bytes {
            [0xFF, 0xFE, rest @ ..] => {
                decoded = utf16(rest, u16::from_le_bytes)?;
                decoded.as_bytes()
            }
            [0xFE, 0xFF, rest @ ..] => {
                decoded = utf16(rest, u16::from_be_bytes)?;
                decoded.as_bytes()
            }
            [0xEF, 0xBB, 0xBF, rest @ ..] => rest,
            _ => bytes,
        };
        let layer: Layer = serde_json::from_slice(text).map_err(|e| json_error(e.to_string()))?;
        if let Some(version) = layer.format() {
            if !READABLE_FORMATS.contains(&version) {
                return Err(Error::Version {
                    origin: origin.to_string(),
                    version: version.to_string(),
                });
            }
        }
        Ok(layer)
    }

    /// Reads a layer file.
    pub fn read(path: impl AsRef<Path>) -> Result<Layer> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Layer::from_slice(&bytes, &path.display().to_string())
    }

    /// The layer as JSON, indented.
    pub fn to_json(&self) -> String {
        // A layer is maps, strings, numbers and booleans: serializing cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes the layer to `path` (through a temporary file beside it, so a failed write
    /// leaves no half file).
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let tmp = path.with_extension("json.partial");
        std::fs::write(&tmp, self.to_json()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    }

    /// The layer format it declares (`versions.layer`, or a 3.0 layer's `version`).
    pub fn format(&self) -> Option<&str> {
        self.versions
            .as_ref()
            .and_then(|v| v.layer.as_deref())
            .or_else(|| self.other.get("version").and_then(Value::as_str))
    }

    /// The entry of `technique_id` under `tactic` (or under every tactic).
    pub fn entry(&self, technique_id: &str, tactic: Option<&str>) -> Option<&TechniqueEntry> {
        self.techniques.iter().find(|t| {
            t.technique_id.eq_ignore_ascii_case(technique_id) && t.tactic.as_deref() == tactic
        })
    }

    /// Scores of the techniques, from `min` to `max`, through `colors`.
    pub fn with_gradient(mut self, colors: &[&str], min: f64, max: f64) -> Self {
        self.gradient = Some(Gradient::new(colors, min, max));
        self
    }

    /// Adds a legend entry.
    pub fn with_legend(mut self, label: &str, color: &str) -> Self {
        self.legend_items
            .get_or_insert_with(Vec::new)
            .push(LegendItem::new(label, color));
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The lowest and highest score, if any technique has one.
    pub fn score_range(&self) -> Option<(f64, f64)> {
        self.techniques
            .iter()
            .filter_map(TechniqueEntry::score)
            .fold(None, |range, s| match range {
                None => Some((s, s)),
                Some((lo, hi)) => Some((lo.min(s), hi.max(s))),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_stay_integers() {
        let mut e = TechniqueEntry::new("T1");
        e.set_score(Some(3.0));
        assert_eq!(serde_json::to_string(&e.score).unwrap(), "3");
        e.set_score(Some(0.5));
        assert_eq!(serde_json::to_string(&e.score).unwrap(), "0.5");
        e.set_score(Some(f64::NAN));
        assert_eq!(e.score, None);
    }
}
