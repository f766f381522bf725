//! A layer drawn as the ATT&CK matrix: the release's tactics as columns in its own order,
//! techniques as cells coloured by the layer's scores through its gradient.

use std::collections::HashMap;

use huntbook_attack::{Attack, Domain};
use huntbook_charts::{Chart, HeatmapCell, HeatmapColumn, MatrixHeatmap};

use crate::error::{Error, Result};
use crate::layer::{Layer, TechniqueEntry};

/// How sub-techniques appear on the heatmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Subtechniques {
    /// Folded into their technique's cell, which shows the highest score of the technique
    /// and its sub-techniques; the tooltip lists the scored sub-techniques.
    #[default]
    Fold,
    /// Each in its own cell, indented under its technique.
    Show,
}

impl Layer {
    /// The layer on the matrix of its domain in `attack` (tactics in the release's order),
    /// as a chart that shows inline and saves as SVG or PNG. Entries that have no cell on
    /// this matrix (unknown ids, other domains, revoked techniques) are counted and named in
    /// the title, not dropped silently; [`Layer::check`] says why each does not fit.
    pub fn heatmap(&self, attack: &Attack, subtechniques: Subtechniques) -> Result<Chart> {
        let domain = Domain::parse(&self.domain).ok_or_else(|| Error::Frame {
            what: format!("layer {:?}", self.name),
            message: format!("{:?} is not an ATT&CK domain", self.domain),
        })?;
        let matrix = attack.matrix(domain)?;
        // Entries by technique id, then tactic (None: every tactic).
        let mut entries: HashMap<String, Vec<&TechniqueEntry>> = HashMap::new();
        for e in &self.techniques {
            entries
                .entry(e.technique_id.to_uppercase())
                .or_default()
                .push(e);
        }
        let entry_of = |id: Option<&str>, tactic: &str| -> Option<&TechniqueEntry> {
            let list = entries.get(&id?.to_uppercase())?;
            list.iter()
                .find(|e| e.tactic.as_deref() == Some(tactic))
                .or_else(|| list.iter().find(|e| e.tactic.is_none()))
                .copied()
        };
        let mut placed: std::collections::HashSet<String> = Default::default();
        let mut columns = Vec::new();
        for column in &matrix {
            let short = column.tactic.shortname.as_deref().unwrap_or("");
            let mut cells = Vec::new();
            for (technique, subs) in &column.techniques {
                let id = technique.attack_id().unwrap_or(&technique.id);
                let own = entry_of(Some(id), short);
                placed.insert(id.to_uppercase());
                let mut cell = cell_of(id, technique.name(), own);
                let sub_cells: Vec<HeatmapCell> = subs
                    .iter()
                    .map(|s| {
                        let sid = s.attack_id().unwrap_or(&s.id);
                        placed.insert(sid.to_uppercase());
                        let mut c = cell_of(sid, s.name(), entry_of(Some(sid), short));
                        c.nested = true;
                        c
                    })
                    .collect();
                match subtechniques {
                    Subtechniques::Show => {
                        cells.push(cell);
                        cells.extend(sub_cells);
                    }
                    Subtechniques::Fold => {
                        let scored: Vec<&HeatmapCell> =
                            sub_cells.iter().filter(|c| c.score.is_some()).collect();
                        if !scored.is_empty() {
                            let best = scored
                                .iter()
                                .filter_map(|c| c.score)
                                .chain(cell.score)
                                .fold(f64::NEG_INFINITY, f64::max);
                            cell.score = Some(best);
                            let lines: Vec<String> = scored
                                .iter()
                                .map(|c| {
                                    format!("{} {}: {}", c.id, c.label, c.score.unwrap_or(0.0))
                                })
                                .collect();
                            let note = format!("sub-techniques: {}", lines.join("; "));
                            cell.note = Some(match cell.note.take() {
                                Some(n) => format!("{n}\n{note}"),
                                None => note,
                            });
                        }
                        cells.push(cell);
                    }
                }
            }
            columns.push(HeatmapColumn {
                title: column.tactic.name().to_string(),
                cells,
            });
        }
        let off: Vec<&str> = self
            .techniques
            .iter()
            .filter(|e| !placed.contains(&e.technique_id.to_uppercase()))
            .map(|e| e.technique_id.as_str())
            .collect();
        let mut title = format!(
            "{} (ATT&CK {}, {})",
            self.name,
            attack.release().unwrap_or("?"),
            self.domain
        );
        if !off.is_empty() {
            let shown: Vec<&str> = off.iter().take(5).copied().collect();
            title.push_str(&format!(
                ": {} not on this matrix ({}{})",
                if off.len() == 1 {
                    "1 entry".to_string()
                } else {
                    format!("{} entries", off.len())
                },
                shown.join(", "),
                if off.len() > 5 { ", ..." } else { "" }
            ));
        }
        let mut chart = MatrixHeatmap::new(columns).title(title);
        if let Some(g) = &self.gradient {
            let colors: Vec<&str> = g.colors.iter().map(String::as_str).collect();
            if !colors.is_empty() {
                chart = chart.gradient(&colors)?;
            }
            if let (Some(lo), Some(hi)) = (g.min_value.as_f64(), g.max_value.as_f64()) {
                chart = chart.range(lo, hi);
            }
        }
        for item in self.legend_items.iter().flatten() {
            chart = chart.legend_item(&item.label, &item.color)?;
        }
        Ok(chart.build()?)
    }
}

/// A cell for a technique and its entry, if any.
fn cell_of(id: &str, name: &str, entry: Option<&TechniqueEntry>) -> HeatmapCell {
    HeatmapCell {
        id: id.to_string(),
        label: name.to_string(),
        score: entry.and_then(TechniqueEntry::score),
        color: entry
            .and_then(|e| e.color.clone())
            .filter(|c| !c.trim().is_empty()),
        nested: false,
        note: entry
            .and_then(|e| e.comment.clone())
            .filter(|c| !c.trim().is_empty()),
    }
}
