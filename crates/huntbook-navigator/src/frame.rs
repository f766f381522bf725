//! Layers from frames and frames from layers.

use std::collections::HashMap;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::layer::{Layer, Link, MetadataEntry, TechniqueEntry};

/// Builds a [`Layer`] from any frame with a column of technique ids: which columns give the
/// score, the tactic, the colour, the comment, links and metadata.
///
/// ```
/// use huntbook_navigator::LayerBuilder;
/// use polars::prelude::*;
///
/// let df = df!("technique_id" => ["T1003.001", "T1059"], "score" => [3i64, 1])?;
/// let layer = LayerBuilder::new("Seen", "enterprise-attack").build(&df)?;
/// assert_eq!(layer.techniques[0].score(), Some(3.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct LayerBuilder {
    name: String,
    domain: String,
    attack_version: Option<String>,
    technique: String,
    tactic: Option<String>,
    score: Option<String>,
    color: Option<String>,
    comment: Option<String>,
    link: Option<(String, String)>,
    metadata: Vec<String>,
    gradient: Option<Vec<String>>,
}

impl LayerBuilder {
    /// A layer called `name` of `domain` (`enterprise-attack`). By default the technique ids
    /// are in `technique_id`, and the columns `tactic` (text), `score`, `color` and
    /// `comment` are used when the frame has them.
    pub fn new(name: impl Into<String>, domain: impl Into<String>) -> Self {
        LayerBuilder {
            name: name.into(),
            domain: domain.into(),
            attack_version: None,
            technique: "technique_id".into(),
            tactic: None,
            score: None,
            color: None,
            comment: None,
            link: None,
            metadata: Vec::new(),
            gradient: None,
        }
    }

    /// The ATT&CK version the layer is for (`18.1`; Navigator shows the major version).
    pub fn attack_version(mut self, version: &str) -> Self {
        self.attack_version = Some(version.to_string());
        self
    }

    /// The column of technique ids.
    pub fn technique_column(mut self, column: &str) -> Self {
        self.technique = column.into();
        self
    }

    /// The column of tactic short names (one entry per row under that tactic).
    pub fn tactic_column(mut self, column: &str) -> Self {
        self.tactic = Some(column.into());
        self
    }

    /// The column of scores (any numeric type).
    pub fn score_column(mut self, column: &str) -> Self {
        self.score = Some(column.into());
        self
    }

    /// The column of colours (`#rrggbb`).
    pub fn color_column(mut self, column: &str) -> Self {
        self.color = Some(column.into());
        self
    }

    /// The column of comments.
    pub fn comment_column(mut self, column: &str) -> Self {
        self.comment = Some(column.into());
        self
    }

    /// A link on every technique: the URL in `column`, shown as `label`.
    pub fn link_column(mut self, column: &str, label: &str) -> Self {
        self.link = Some((column.into(), label.into()));
        self
    }

    /// Columns written as metadata (name: the column name; value: the cell as text; list
    /// cells joined with `, `).
    pub fn metadata_columns(mut self, columns: &[&str]) -> Self {
        self.metadata = columns.iter().map(|c| c.to_string()).collect();
        self
    }

    /// A gradient through `colors` over the scores' range, and a legend of its ends.
    pub fn gradient(mut self, colors: &[&str]) -> Self {
        self.gradient = Some(colors.iter().map(|c| c.to_string()).collect());
        self
    }

    /// The layer. Every row gives an entry; a technique id that appears twice under the same
    /// tactic is an error naming it (aggregate the frame first), never a silent merge.
    pub fn build(&self, df: &DataFrame) -> Result<Layer> {
        let what = format!("layer {:?}", self.name);
        let frame_error = |message: String| Error::Frame {
            what: what.clone(),
            message,
        };
        let text = |name: &str| -> Result<Vec<Option<String>>> { text_column(df, name, &what) };
        let optional =
            |explicit: &Option<String>, default: &str| -> Result<Option<Vec<Option<String>>>> {
                match explicit {
                    Some(c) => text(c).map(Some),
                    None if df
                        .column(default)
                        .is_ok_and(|c| c.dtype() == &DataType::String) =>
                    {
                        text(default).map(Some)
                    }
                    None => Ok(None),
                }
            };
        let ids = text(&self.technique)?;
        let tactics = optional(&self.tactic, "tactic")?;
        let colors = optional(&self.color, "color")?;
        let comments = optional(&self.comment, "comment")?;
        let scores = match &self.score {
            Some(c) => Some(score_column(df, c, &what)?),
            None if df
                .column("score")
                .is_ok_and(|c| c.dtype().is_primitive_numeric()) =>
            {
                Some(score_column(df, "score", &what)?)
            }
            None => None,
        };
        let links = match &self.link {
            Some((c, label)) => Some((text(c)?, label.as_str())),
            None => None,
        };
        let metadata: Vec<(&str, Vec<Option<String>>)> = self
            .metadata
            .iter()
            .map(|c| Ok((c.as_str(), text(c)?)))
            .collect::<Result<_>>()?;

        let mut layer = Layer::new(&self.name, &self.domain, self.attack_version.as_deref());
        let mut seen: HashMap<(String, Option<String>), usize> = HashMap::new();
        for (row, id) in ids.into_iter().enumerate() {
            let id = id.ok_or_else(|| {
                frame_error(format!(
                    "row {row} has no technique id in `{}`",
                    self.technique
                ))
            })?;
            let tactic = tactics.as_ref().and_then(|t| t[row].clone());
            if let Some(first) = seen.insert((id.to_uppercase(), tactic.clone()), row) {
                return Err(frame_error(format!(
                    "technique {id}{} is on rows {first} and {row}: aggregate the frame first \
                     (one row per technique{})",
                    tactic
                        .as_deref()
                        .map(|t| format!(" ({t})"))
                        .unwrap_or_default(),
                    if tactics.is_some() { " and tactic" } else { "" },
                )));
            }
            let mut entry = TechniqueEntry::new(id);
            entry.tactic = tactic;
            entry.set_score(scores.as_ref().and_then(|s| s[row]));
            entry.color = colors.as_ref().and_then(|c| c[row].clone());
            entry.comment = comments.as_ref().and_then(|c| c[row].clone());
            if let Some((urls, label)) = &links {
                if let Some(url) = &urls[row] {
                    entry.links = Some(vec![Link::new(*label, url)]);
                }
            }
            let entries: Vec<MetadataEntry> = metadata
                .iter()
                .filter_map(|(name, values)| {
                    values[row].as_ref().map(|v| MetadataEntry::new(*name, v))
                })
                .collect();
            if !entries.is_empty() {
                entry.metadata = Some(entries);
            }
            layer.techniques.push(entry);
        }
        if let (Some(colors), Some((lo, hi))) = (&self.gradient, layer.score_range()) {
            let colors: Vec<&str> = colors.iter().map(String::as_str).collect();
            let (low, high) = (colors[0], colors[colors.len() - 1]);
            layer = layer
                .with_gradient(&colors, lo, hi)
                .with_legend(
                    &format!("{} {}", self.score.as_deref().unwrap_or("score"), fmt(lo)),
                    low,
                )
                .with_legend(
                    &format!("{} {}", self.score.as_deref().unwrap_or("score"), fmt(hi)),
                    high,
                );
        }
        Ok(layer)
    }
}

fn fmt(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// A column as optional text: strings as they are, numbers and booleans written out, lists
/// joined with `, `.
pub(crate) fn text_column(df: &DataFrame, name: &str, what: &str) -> Result<Vec<Option<String>>> {
    let column = df.column(name).map_err(|_| Error::Frame {
        what: what.to_string(),
        message: format!(
            "the frame has no column `{name}` (it has {})",
            df.get_column_names()
                .iter()
                .map(|n| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })?;
    let polars = |source| Error::Polars {
        what: what.to_string(),
        source,
    };
    let series = column.as_materialized_series();
    match series.dtype() {
        DataType::String => Ok(series
            .str()
            .map_err(polars)?
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()),
        DataType::List(_) => {
            let list = series.list().map_err(polars)?;
            list.amortized_iter()
                .map(|cell| match cell {
                    None => Ok(None),
                    Some(values) => {
                        let values = values.as_ref().cast(&DataType::String).map_err(polars)?;
                        let joined: Vec<&str> =
                            values.str().map_err(polars)?.iter().flatten().collect();
                        Ok(Some(joined.join(", ")))
                    }
                })
                .collect()
        }
        _ => {
            let cast = series.cast(&DataType::String).map_err(polars)?;
            Ok(cast
                .str()
                .map_err(polars)?
                .iter()
                .map(|v| v.map(str::to_string))
                .collect())
        }
    }
}

fn score_column(df: &DataFrame, name: &str, what: &str) -> Result<Vec<Option<f64>>> {
    let column = df.column(name).map_err(|_| Error::Frame {
        what: what.to_string(),
        message: format!("the frame has no score column `{name}`"),
    })?;
    if !column.dtype().is_primitive_numeric() {
        return Err(Error::Frame {
            what: what.to_string(),
            message: format!(
                "the score column `{name}` is {}, not a number",
                column.dtype()
            ),
        });
    }
    let cast = column
        .cast(&DataType::Float64)
        .map_err(|source| Error::Polars {
            what: what.to_string(),
            source,
        })?;
    Ok(cast
        .f64()
        .map_err(|source| Error::Polars {
            what: what.to_string(),
            source,
        })?
        .iter()
        .collect())
}

impl Layer {
    /// The layer's techniques as a frame: `technique_id`, `tactic`, `score` (f64),
    /// `color`, `comment`, `enabled`, `links` (the URLs), then one text column per metadata
    /// name, in order of first appearance.
    pub fn to_frame(&self) -> Result<DataFrame> {
        let t = &self.techniques;
        let strs = |f: &dyn Fn(&TechniqueEntry) -> Option<&str>| -> Vec<Option<&str>> {
            t.iter().map(f).collect()
        };
        let mut names: Vec<&str> = Vec::new();
        for e in t {
            for m in e.metadata.iter().flatten() {
                if let Some(n) = m.name.as_deref() {
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
            }
        }
        let links: Vec<Option<Series>> = t
            .iter()
            .map(|e| {
                e.links.as_ref().map(|l| {
                    let urls: Vec<&str> = l.iter().filter_map(|l| l.url.as_deref()).collect();
                    Series::new("".into(), urls)
                })
            })
            .collect();
        let mut columns = vec![
            Column::new(
                "technique_id".into(),
                strs(&|e| Some(e.technique_id.as_str())),
            ),
            Column::new("tactic".into(), strs(&|e| e.tactic.as_deref())),
            Column::new(
                "score".into(),
                t.iter().map(TechniqueEntry::score).collect::<Vec<_>>(),
            ),
            Column::new("color".into(), strs(&|e| e.color.as_deref())),
            Column::new("comment".into(), strs(&|e| e.comment.as_deref())),
            Column::new(
                "enabled".into(),
                t.iter().map(|e| e.enabled).collect::<Vec<_>>(),
            ),
            Column::new("links".into(), links)
                .cast(&DataType::List(Box::new(DataType::String)))
                .map_err(|source| Error::Polars {
                    what: format!("layer {:?}", self.name),
                    source,
                })?,
        ];
        for name in names {
            columns.push(Column::new(
                name.into(),
                t.iter().map(|e| e.metadata_value(name)).collect::<Vec<_>>(),
            ));
        }
        DataFrame::new(t.len(), columns).map_err(|source| Error::Polars {
            what: format!("layer {:?}", self.name),
            source,
        })
    }
}
